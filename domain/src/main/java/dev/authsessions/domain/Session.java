package dev.authsessions.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code auth.sessions}. {@code refreshTokenCounter} is the counter of the last
 * refresh token issued; a new session starts at 0.
 */
public record Session(
        SessionId id,
        UserId userId,
        Instant createdAt,
        Instant updatedAt,
        FactorId factorId,
        Aal aal,
        Instant notAfter,
        Instant refreshedAt,
        String userAgent,
        String ip,
        String tag,
        OAuthClientId oauthClientId,
        HmacKey refreshTokenHmacKey,
        long refreshTokenCounter,
        Scopes scopes) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "user id");
        Objects.requireNonNull(createdAt, "created at");
        Objects.requireNonNull(updatedAt, "updated at");
        Objects.requireNonNull(aal, "aal");
        Objects.requireNonNull(refreshTokenHmacKey, "refresh token HMAC key");
        if (refreshTokenCounter < 0) {
            throw new IllegalArgumentException("refresh token counter is never negative");
        }
    }

    /** When the session last got a token: the last refresh, or its creation if never refreshed. */
    public Instant lastRefreshedAt() {
        return refreshedAt != null ? refreshedAt : createdAt;
    }

    /** The token string for the session's current counter. */
    public String currentRefreshToken() {
        return RefreshToken.encode(id, refreshTokenCounter, refreshTokenHmacKey);
    }

    public boolean belongsTo(UserId user) {
        return userId.equals(user);
    }
}
