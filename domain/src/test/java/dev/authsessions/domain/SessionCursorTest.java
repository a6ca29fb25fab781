package dev.authsessions.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionCursorTest {
    private static final SessionCursor CURSOR = new SessionCursor(
            Instant.parse("2026-03-01T10:15:30.123456Z"), SessionId.parse("ffffffff-0000-4000-8000-000000000001"));

    @Test
    void decodesWhatItEncodes() {
        String text = CURSOR.encode();

        assertEquals(39, text.length());
        assertTrue(text.matches("[A-Za-z0-9_-]+"), text);
        assertEquals(Optional.of(CURSOR), SessionCursor.decode(text));
    }

    @Test
    void roundTripsSeededRandomPositionsIncludingBeforeTheEpoch() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            long micros = random.nextLong() % 100_000_000_000_000_000L;
            SessionCursor cursor = new SessionCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
                    new SessionId(new UUID(random.nextLong(), random.nextLong())));
            assertEquals(Optional.of(cursor), SessionCursor.decode(cursor.encode()));
        }
    }

    @Test
    void theSamePositionAlwaysEncodesTheSameAndAnotherDifferently() {
        SessionCursor later = new SessionCursor(CURSOR.createdAt().plusNanos(1_000), CURSOR.id());

        assertEquals(CURSOR.encode(), new SessionCursor(CURSOR.createdAt(), CURSOR.id()).encode());
        assertNotEquals(CURSOR.encode(), later.encode());
    }

    @Test
    void everySingleCharacterEditIsRefused() {
        String text = CURSOR.encode();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < text.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c != text.charAt(i)) {
                    String edited = text.substring(0, i) + c + text.substring(i + 1);
                    assertEquals(Optional.empty(), SessionCursor.decode(edited), edited);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "not a cursor at all, not even base64!!!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "////////////////////////////////////////", "=======================================",
            "+++++++++++++++++++++++++++++++++++++++"})
    void garbageIsRefused(String text) {
        assertEquals(Optional.empty(), SessionCursor.decode(text));
    }

    @Test
    void nullIsRefused() {
        assertEquals(Optional.empty(), SessionCursor.decode(null));
    }

    @Test
    void anotherVersionIsRefusedEvenWithAValidChecksum() throws Exception {
        byte[] bytes = Base64.getUrlDecoder().decode(CURSOR.encode());
        bytes[0] = 2;
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(bytes, 25));
        System.arraycopy(digest, 0, bytes, 25, 4);

        assertEquals(Optional.empty(), SessionCursor.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
    }

    /** A cursor written by hand, with a correct checksum: only its fields can make it wrong. */
    private static String handMade(int version, long micros, UUID id) throws Exception {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(29).put((byte) version).putLong(micros)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(bytes.array(), 25));
        bytes.put(digest, 0, 4);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    @Test
    void everyTimeTheEightBytesCarryIsReadIfPostgresHoldsItAndRefusedIfNot() throws Exception {
        long earliest = SessionCursor.EARLIEST.getEpochSecond() * 1_000_000L;
        UUID id = CURSOR.id().value();
        assertEquals(Optional.empty(), SessionCursor.decode(handMade(1, Long.MIN_VALUE, id)));
        assertEquals(Optional.empty(), SessionCursor.decode(handMade(1, earliest - 1, id)));
        assertEquals(Optional.of(new SessionCursor(SessionCursor.EARLIEST, CURSOR.id())),
                SessionCursor.decode(handMade(1, earliest, id)));
        assertEquals(Optional.of(new SessionCursor(SessionCursor.LATEST, CURSOR.id())),
                SessionCursor.decode(handMade(1, Long.MAX_VALUE, id)));
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            long micros = random.nextLong();
            Optional<SessionCursor> decoded = SessionCursor.decode(handMade(1, micros, id));
            assertEquals(micros >= earliest, decoded.isPresent(), Long.toString(micros));
            decoded.ifPresent(cursor -> assertEquals(handMadeOrFail(cursor), cursor.encode()));
        }
    }

    private static String handMadeOrFail(SessionCursor cursor) {
        try {
            Instant t = cursor.createdAt();
            return handMade(1, Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000),
                    cursor.id().value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theRangeIsPostgresEarliestTimestamptzToTheLastMicrosecondALongCarries() {
        assertEquals(Instant.parse("-4713-11-24T00:00:00Z"), SessionCursor.EARLIEST);
        assertEquals(Instant.parse("+294247-01-10T04:00:54.775807Z"), SessionCursor.LATEST);
        assertThrows(IllegalArgumentException.class,
                () -> new SessionCursor(SessionCursor.EARLIEST.minusNanos(1_000), CURSOR.id()));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionCursor(SessionCursor.LATEST.plusNanos(1_000), CURSOR.id()));
        assertThrows(IllegalArgumentException.class, () -> new SessionCursor(Instant.MAX.minusNanos(999_999_999L), CURSOR.id()));
    }

    @Test
    void everyVersionButOneAndEveryOtherLengthIsRefusedEvenWithAValidChecksum() throws Exception {
        for (int version = 0; version < 256; version++) {
            String text = handMade(version, 0, CURSOR.id().value());
            assertEquals(version == 1, SessionCursor.decode(text).isPresent(), Integer.toString(version));
        }
        for (int length = 0; length < 64; length++) {
            if (length == 29) {
                continue;
            }
            byte[] bytes = java.util.Arrays.copyOf(Base64.getUrlDecoder().decode(CURSOR.encode()), length);
            int payload = Math.max(0, length - 4);
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(bytes, payload));
            System.arraycopy(digest, 0, bytes, payload, Math.min(4, length));
            assertEquals(Optional.empty(), SessionCursor.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)),
                    Integer.toString(length));
        }
    }

    @Test
    void aTimeBelowTheDatabasePrecisionIsNotAPosition() {
        assertThrows(IllegalArgumentException.class,
                () -> new SessionCursor(Instant.parse("2026-03-01T10:15:30.1234567Z"), CURSOR.id()));
    }

    @Test
    void theCursorAfterASessionIsItsCreationAndId() {
        Session session = SessionsForTests.session(HmacKey.of(new byte[32]), 0);

        assertEquals(new SessionCursor(session.createdAt(), session.id()), SessionCursor.after(session));
    }
}
