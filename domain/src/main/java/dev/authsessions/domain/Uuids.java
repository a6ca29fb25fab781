package dev.authsessions.domain;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * UUID parsing that accepts only the canonical 36-character form: {@link UUID#fromString}
 * also takes "1-1-1-1-1", which would let two spellings name one row.
 */
final class Uuids {
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Uuids() {
    }

    static UUID parseStrict(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw new IllegalArgumentException("not a UUID");
        }
        return UUID.fromString(text);
    }

    static UUID version4(byte[] sixteen) {
        if (sixteen == null || sixteen.length != 16) {
            throw new IllegalArgumentException("a UUID needs 16 random bytes");
        }
        byte[] b = sixteen.clone();
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        return fromBytes(b, 0);
    }

    static UUID fromBytes(byte[] bytes, int offset) {
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (bytes[offset + i] & 0xff);
        }
        for (int i = 8; i < 16; i++) {
            lsb = (lsb << 8) | (bytes[offset + i] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    static void toBytes(UUID uuid, byte[] into, int offset) {
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        for (int i = 7; i >= 0; i--) {
            into[offset + i] = (byte) msb;
            msb >>>= 8;
        }
        for (int i = 15; i >= 8; i--) {
            into[offset + i] = (byte) lsb;
            lsb >>>= 8;
        }
    }
}
