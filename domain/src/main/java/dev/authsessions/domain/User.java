package dev.authsessions.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The part of {@code auth.users} a session authority needs. {@code hasVerifiedFactor} is whether the
 * user has at least one verified MFA factor, which makes aal2 their highest possible level.
 */
public record User(
        UserId id,
        String aud,
        String role,
        String email,
        String phone,
        Map<String, Object> appMetadata,
        Map<String, Object> userMetadata,
        boolean isAnonymous,
        Instant bannedUntil,
        Instant createdAt,
        Instant updatedAt,
        boolean hasVerifiedFactor) {

    public User {
        Objects.requireNonNull(id, "id");
        aud = aud == null ? "" : aud;
        role = role == null ? "" : role;
        appMetadata = appMetadata == null ? Map.of() : appMetadata;
        userMetadata = userMetadata == null ? Map.of() : userMetadata;
    }

    public boolean isBannedAt(Instant now) {
        return bannedUntil != null && bannedUntil.isAfter(now);
    }

    public Aal highestPossibleAal() {
        return hasVerifiedFactor ? Aal.AAL2 : Aal.AAL1;
    }
}
