package dev.authsessions.domain;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A position in a user's session list, which runs newest first on {@code (created_at, id)}: the
 * next page starts strictly after this session. On the wire it is opaque: base64url (no padding) of
 * a version byte, {@code created_at} in epoch microseconds (8 bytes), the session id (16 bytes) and
 * the first 4 bytes of SHA-256 of the rest, so an edited or truncated cursor is refused rather than
 * silently read as another position.
 *
 * <p>The checksum has no key: anyone can write a cursor, and that is harmless, because a cursor only
 * says where a list the caller may read anyway starts. What decoding guarantees is that every field
 * is one the query can use: the exact length, the version, and a time PostgreSQL can hold
 * ({@link #EARLIEST} on; the latest time the 8 bytes carry, in the year 294247, is before PostgreSQL's
 * last). Whatever else the bytes say is refused, never handed to the database.
 */
public record SessionCursor(Instant createdAt, SessionId id) {
    private static final byte VERSION = 1;
    private static final int PAYLOAD_LENGTH = 1 + 8 + 16;
    private static final int CHECKSUM_LENGTH = 4;
    private static final int LENGTH = PAYLOAD_LENGTH + CHECKSUM_LENGTH;
    private static final int ENCODED_LENGTH = (LENGTH * 8 + 5) / 6;
    /** PostgreSQL's earliest {@code timestamptz}, 4714-11-24 00:00:00 BC (proleptic Gregorian, ISO year -4713). */
    public static final Instant EARLIEST = Instant.parse("-4713-11-24T00:00:00Z");
    /** The latest time 8 bytes of epoch microseconds carry (in the year 294247; PostgreSQL's last is in 294276). */
    public static final Instant LATEST = Instant.EPOCH.plusSeconds(Long.MAX_VALUE / 1_000_000)
            .plusNanos(Long.MAX_VALUE % 1_000_000 * 1_000);

    public SessionCursor {
        Objects.requireNonNull(createdAt, "created at");
        Objects.requireNonNull(id, "session id");
        if (createdAt.getNano() % 1_000 != 0) {
            throw new IllegalArgumentException("a cursor's time is at microsecond precision, as the database keeps it");
        }
        if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
            throw new IllegalArgumentException("a cursor's time is between " + EARLIEST + " and " + LATEST);
        }
    }

    /** The cursor just after {@code session}. */
    public static SessionCursor after(Session session) {
        return new SessionCursor(session.createdAt(), session.id());
    }

    public String encode() {
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH);
        bytes.put(VERSION);
        bytes.putLong(epochMicros(createdAt));
        bytes.putLong(id.value().getMostSignificantBits());
        bytes.putLong(id.value().getLeastSignificantBits());
        bytes.put(checksum(bytes.array()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** The cursor {@code text} encodes, or empty for anything {@link #encode} could not have written. */
    public static Optional<SessionCursor> decode(String text) {
        if (text == null || text.length() != ENCODED_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != LENGTH || bytes[0] != VERSION
                || !MessageDigest.isEqual(checksum(bytes), Arrays.copyOfRange(bytes, PAYLOAD_LENGTH, LENGTH))) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, PAYLOAD_LENGTH - 1);
        long micros = buffer.getLong();
        SessionId id = new SessionId(new UUID(buffer.getLong(), buffer.getLong()));
        SessionCursor cursor;
        try {
            cursor = new SessionCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            return Optional.empty();
        }
        // Only the canonical spelling: the decoder ignores the last character's unused low bits.
        return cursor.encode().equals(text) ? Optional.of(cursor) : Optional.empty();
    }

    /** Exact for every year PostgreSQL stores ({@link ChronoUnit#between} goes through nanoseconds and overflows). */
    private static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The first 4 bytes of SHA-256 over the payload (the first {@link #PAYLOAD_LENGTH} bytes). */
    private static byte[] checksum(byte[] bytes) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(bytes, 0, PAYLOAD_LENGTH);
            return Arrays.copyOf(sha256.digest(), CHECKSUM_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
