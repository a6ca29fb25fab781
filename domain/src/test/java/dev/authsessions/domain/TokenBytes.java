package dev.authsessions.domain;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds token bytes straight from SPEC §2 with JDK primitives, without going through
 * {@link RefreshToken}, so tests can craft well-formed and malformed tokens independently.
 */
final class TokenBytes {
    private TokenBytes() {
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] fromBase64Url(String text) {
        return Base64.getUrlDecoder().decode(text);
    }

    static byte[] uuid(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    /** Go's binary.AppendUvarint, restated. */
    static byte[] uvarint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long rest = value;
        while (Long.compareUnsigned(rest, 0x80) >= 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    static byte[] repeat(int value, int count) {
        byte[] result = new byte[count];
        Arrays.fill(result, (byte) value);
        return result;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends the 4-byte checksum (first bytes of SHA-256 of everything before it). */
    static byte[] withChecksum(byte[] body) {
        return concat(body, Arrays.copyOf(sha256(body), 4));
    }

    /** Version, id and the given counter bytes (possibly malformed), signed with the key, with a correct checksum. */
    static byte[] signed(UUID id, byte[] counterBytes, byte[] key) {
        byte[] signedPart = concat(bytes(0), uuid(id), counterBytes);
        return withChecksum(concat(signedPart, Arrays.copyOf(hmacSha256(key, signedPart), 16)));
    }

    /** The whole token as SPEC §2 describes it. */
    static byte[] token(UUID id, long counter, byte[] key) {
        return signed(id, uvarint(counter), key);
    }
}
