package dev.authsessions.domain;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/** The per-session secret that signs its refresh tokens: 32 random bytes. */
public final class HmacKey {
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private HmacKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static HmacKey of(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("an HMAC key cannot be empty");
        }
        return new HmacKey(bytes.clone());
    }

    /** Reads the stored form: base64url without padding (padding and standard base64 are tolerated). */
    public static HmacKey fromBase64Url(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an HMAC key cannot be null");
        }
        String normalized = text.replace('+', '-').replace('/', '_');
        while (normalized.endsWith("=")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        return of(Base64.getUrlDecoder().decode(normalized));
    }

    public String toBase64Url() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] rawBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HmacKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "HmacKey[redacted]";
    }
}
