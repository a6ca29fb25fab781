package dev.authsessions.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code auth.sessions}. {@code refreshTokenCounter} is the counter of the last
 * refresh token issued; a new session starts at 0. A legacy session (GoTrue's v1, its tokens in
 * {@code auth.refresh_tokens}) has no HMAC key and counter: {@code refreshTokenHmacKey} is null and the
 * counter 0.
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
        if (refreshTokenCounter < 0) {
            throw new IllegalArgumentException("refresh token counter is never negative");
        }
        if (refreshTokenHmacKey == null && refreshTokenCounter != 0) {
            throw new IllegalArgumentException("a legacy session (no HMAC key) has no counter");
        }
    }

    /** Whether the session has no v2 token data yet (GoTrue's v1 sessions): only its v1 tokens refresh it. */
    public boolean isLegacy() {
        return refreshTokenHmacKey == null;
    }

    /**
     * The session as GoTrue sees it when refreshed with a v1 token last changed at {@code tokenUpdatedAt}:
     * a session never refreshed counts as refreshed at that time (if after its creation).
     */
    public Session asRefreshedByLegacyTokenAt(Instant tokenUpdatedAt) {
        if (refreshedAt != null || tokenUpdatedAt == null || !tokenUpdatedAt.isAfter(createdAt)) {
            return this;
        }
        return new Session(id, userId, createdAt, updatedAt, factorId, aal, notAfter, tokenUpdatedAt, userAgent, ip,
                tag, oauthClientId, refreshTokenHmacKey, refreshTokenCounter, scopes);
    }

    /** When the session last got a token: the last refresh, or its creation if never refreshed. */
    public Instant lastRefreshedAt() {
        return refreshedAt != null ? refreshedAt : createdAt;
    }

    /** The token string for the session's current counter. */
    public String currentRefreshToken() {
        if (isLegacy()) {
            throw new IllegalStateException("a legacy session has no v2 refresh token");
        }
        return RefreshToken.encode(id, refreshTokenCounter, refreshTokenHmacKey);
    }

    public boolean belongsTo(UserId user) {
        return userId.equals(user);
    }
}
