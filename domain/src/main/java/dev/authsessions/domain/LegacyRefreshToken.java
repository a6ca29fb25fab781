package dev.authsessions.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A legacy (v1) refresh token of GoTrue: 12 lowercase alphanumerics, a random string stored in
 * {@code auth.refresh_tokens.token}. GoTrue treats a presented token of exactly 12 characters as v1 and
 * any other as v2; GoTrue's own tokens of this kind are lowercase base32 ({@code a-z2-7}). The format is
 * checked without the database, so a malformed string is refused before any lookup.
 */
public record LegacyRefreshToken(String value) {
    public static final int LENGTH = 12;
    /** GoTrue draws 8 random bytes and keeps the first 12 of their 13 base32 characters. */
    public static final int RANDOM_BYTES = 8;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    public LegacyRefreshToken {
        Objects.requireNonNull(value, "value");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("a legacy refresh token is 12 lowercase alphanumerics");
        }
    }

    /** Whether GoTrue would take {@code presented} for a v1 token (its only test is the length). */
    public static boolean hasLegacyLength(String presented) {
        return presented != null && presented.length() == LENGTH;
    }

    /** The token, or empty when {@code presented} is not 12 lowercase alphanumerics. */
    public static Optional<LegacyRefreshToken> parse(String presented) {
        return presented != null && isWellFormed(presented) ? Optional.of(new LegacyRefreshToken(presented)) : Optional.empty();
    }

    /** A new token from {@link #RANDOM_BYTES} random bytes, as GoTrue makes them (lowercase base32, first 12 characters). */
    public static LegacyRefreshToken fromRandomBytes(byte[] random) {
        if (random == null || random.length != RANDOM_BYTES) {
            throw new IllegalArgumentException("a legacy refresh token needs " + RANDOM_BYTES + " random bytes");
        }
        StringBuilder text = new StringBuilder(LENGTH);
        long bits = 0;
        int available = 0;
        for (int i = 0; i < random.length && text.length() < LENGTH; i++) {
            bits = (bits << 8) | (random[i] & 0xff);
            available += 8;
            while (available >= 5 && text.length() < LENGTH) {
                available -= 5;
                text.append(BASE32[(int) ((bits >>> available) & 0x1f)]);
            }
        }
        return new LegacyRefreshToken(text.toString());
    }

    private static boolean isWellFormed(String text) {
        if (text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** The first five characters, which GoTrue reports in {@code sb-auth-refresh-token-prefix}. */
    public String prefix() {
        return value.substring(0, 5);
    }

    @Override
    public String toString() {
        return "LegacyRefreshToken[redacted]";
    }
}
