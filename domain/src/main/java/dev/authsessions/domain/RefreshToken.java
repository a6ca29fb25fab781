package dev.authsessions.domain;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The v2 refresh token, byte-compatible with GoTrue: base64url (no padding) of
 * {@code 0x00 | session id (16) | uvarint counter | HMAC-SHA-256(key, preceding)[0..16) | SHA-256(preceding)[0..4)}.
 * Parsing needs no key and no database; {@link #isSignedBy} checks the signature in constant time.
 */
public final class RefreshToken {
    static final byte VERSION = 0;
    static final int SIGNATURE_LENGTH = 16;
    static final int CHECKSUM_LENGTH = 4;
    /** version + session id + 1-byte varint + signature + checksum. */
    static final int MIN_LENGTH = 1 + 16 + 1 + SIGNATURE_LENGTH + CHECKSUM_LENGTH;
    /** A counter needs at most 9 varint bytes (it is at most 2^63-1); 10 are read, as Go does, then refused. */
    static final int MAX_LENGTH = 1 + 16 + 10 + SIGNATURE_LENGTH + CHECKSUM_LENGTH;
    /** Characters of unpadded base64 for {@link #MAX_LENGTH} bytes. */
    static final int MAX_ENCODED_LENGTH = (4 * MAX_LENGTH + 2) / 3;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SessionId sessionId;
    private final long counter;
    private final byte[] signedPart;
    private final byte[] signature;

    private RefreshToken(SessionId sessionId, long counter, byte[] signedPart, byte[] signature) {
        this.sessionId = sessionId;
        this.counter = counter;
        this.signedPart = signedPart;
        this.signature = signature;
    }

    public SessionId sessionId() {
        return sessionId;
    }

    public long counter() {
        return counter;
    }

    /** The token string for this session, counter and key; the same inputs always give the same string. */
    public static String encode(SessionId sessionId, long counter, HmacKey key) {
        if (counter < 0) {
            throw new IllegalArgumentException("a refresh token counter is never negative");
        }
        byte[] buffer = new byte[MAX_LENGTH];
        buffer[0] = VERSION;
        Uuids.toBytes(sessionId.value(), buffer, 1);
        int length = 17;
        long rest = counter;
        while ((rest & ~0x7FL) != 0) {
            buffer[length++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        buffer[length++] = (byte) rest;
        byte[] mac = hmac(key, buffer, length);
        System.arraycopy(mac, 0, buffer, length, SIGNATURE_LENGTH);
        length += SIGNATURE_LENGTH;
        byte[] checksum = sha256(buffer, length);
        System.arraycopy(checksum, 0, buffer, length, CHECKSUM_LENGTH);
        length += CHECKSUM_LENGTH;
        byte[] token = new byte[length];
        System.arraycopy(buffer, 0, token, 0, length);
        return ENCODER.encodeToString(token);
    }

    /**
     * Parses a token string; the checks run in SPEC §2's order: base64url, length, version,
     * checksum, varint, exactly 16 signature bytes left. A base64url string longer than the longest
     * parseable token ({@value #MAX_LENGTH} bytes) fails the length check without being decoded.
     *
     * @throws InvalidRefreshTokenException naming the first check that failed
     */
    public static RefreshToken parse(String text) {
        byte[] bytes = decode(text);
        if (bytes.length < MIN_LENGTH) {
            throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.LENGTH);
        }
        if (bytes[0] != VERSION) {
            throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.VERSION);
        }
        int bodyLength = bytes.length - CHECKSUM_LENGTH;
        byte[] expectedChecksum = sha256(bytes, bodyLength);
        byte[] actualChecksum = new byte[CHECKSUM_LENGTH];
        System.arraycopy(bytes, bodyLength, actualChecksum, 0, CHECKSUM_LENGTH);
        byte[] expectedPrefix = new byte[CHECKSUM_LENGTH];
        System.arraycopy(expectedChecksum, 0, expectedPrefix, 0, CHECKSUM_LENGTH);
        if (!MessageDigest.isEqual(expectedPrefix, actualChecksum)) {
            throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.CHECKSUM);
        }
        // Go's binary.Uvarint: at most 10 bytes, the 10th may only be 0 or 1; the value must also fit a signed long.
        long counter = 0;
        int shift = 0;
        int position = 17;
        boolean terminated = false;
        while (position < bodyLength && position - 17 < 10) {
            int b = bytes[position++] & 0xff;
            if (position - 17 == 10 && b > 1) {
                throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.VARINT);
            }
            counter |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                terminated = true;
                break;
            }
            shift += 7;
        }
        if (!terminated || counter < 0) {
            throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.VARINT);
        }
        if (bodyLength - position != SIGNATURE_LENGTH) {
            throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.SIGNATURE_LENGTH);
        }
        byte[] signedPart = new byte[position];
        System.arraycopy(bytes, 0, signedPart, 0, position);
        byte[] signature = new byte[SIGNATURE_LENGTH];
        System.arraycopy(bytes, position, signature, 0, SIGNATURE_LENGTH);
        SessionId sessionId = new SessionId(Uuids.fromBytes(bytes, 1));
        return new RefreshToken(sessionId, counter, signedPart, signature);
    }

    /** Whether this token was signed with the given session key; constant time in the signature. */
    public boolean isSignedBy(HmacKey key) {
        byte[] mac = hmac(key, signedPart, signedPart.length);
        byte[] truncated = new byte[SIGNATURE_LENGTH];
        System.arraycopy(mac, 0, truncated, 0, SIGNATURE_LENGTH);
        return MessageDigest.isEqual(truncated, signature);
    }

    private static byte[] decode(String text) {
        // Go's RawURLEncoding: the URL alphabet, no padding; anything else is not a token.
        if (text == null || text.isEmpty()) {
            throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.LENGTH);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!allowed) {
                throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.BASE64URL);
            }
        }
        if (text.length() % 4 == 1) {
            throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.BASE64URL);
        }
        // Well-formed base64url, but longer than any token can be: a length failure, refused before decoding or hashing.
        if (text.length() > MAX_ENCODED_LENGTH) {
            throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.LENGTH);
        }
        try {
            return DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRefreshTokenException(InvalidRefreshTokenException.Check.BASE64URL);
        }
    }

    private static byte[] hmac(HmacKey key, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.rawBytes(), "HmacSHA256"));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "RefreshToken[session=" + sessionId + ", counter=" + counter + "]";
    }
}
