package dev.authsessions.domain;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Whether refreshing a legacy (v1) session moves it to v2 tokens, mirroring GoTrue's
 * {@code REFRESH_TOKEN_ALGORITHM_VERSION} and {@code REFRESH_TOKEN_UPGRADE_PERCENTAGE}: with version 2 and a
 * percentage above 0, that share of sessions is upgraded, chosen per session (never per request) from the
 * CRC-32 of the session id, so every refresh of one session decides alike. GoTrue picks its share with Go's
 * seeded {@code math/rand}; at 0 and 100 the two agree exactly, in between each upgrades its own share (both
 * accept v2 tokens from the other, so a session upgraded by either keeps working in both).
 */
public record RefreshTokenUpgrade(int algorithmVersion, int percentage) {

    /** Every legacy session moves to v2 on its next refresh (SPEC §2). */
    public static final RefreshTokenUpgrade ALL_TO_V2 = new RefreshTokenUpgrade(2, 100);
    public static final RefreshTokenUpgrade NONE = new RefreshTokenUpgrade(1, 0);

    public RefreshTokenUpgrade {
        if (algorithmVersion < 0 || algorithmVersion > 2) {
            throw new IllegalArgumentException("the refresh token algorithm version must be 0, 1 or 2");
        }
        if (percentage < 0 || percentage > 100) {
            throw new IllegalArgumentException("the upgrade percentage must be between 0 and 100");
        }
    }

    public boolean upgrades(SessionId session) {
        if (algorithmVersion != 2 || percentage == 0) {
            return false;
        }
        if (percentage == 100) {
            return true;
        }
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(16)
                .putLong(session.value().getMostSignificantBits())
                .putLong(session.value().getLeastSignificantBits())
                .array());
        return crc.getValue() % 100 < percentage;
    }
}
