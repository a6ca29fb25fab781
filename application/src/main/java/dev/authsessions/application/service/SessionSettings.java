package dev.authsessions.application.service;

import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.RefreshTokenUpgrade;
import dev.authsessions.domain.SessionPolicy;
import dev.authsessions.domain.SinglePerUserRule;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The configuration the session use cases apply. */
public record SessionSettings(
        Duration accessTokenLifetime,
        RefreshTokenRules refreshTokenRules,
        SessionPolicy sessionPolicy,
        boolean singleSessionPerUser,
        List<String> tags,
        RefreshTokenUpgrade refreshTokenUpgrade) {

    public static final Duration MAX_REFRESH_WAIT = Duration.ofSeconds(5);
    /** Also bounds the retry loop when the clock does not move (a frozen or coarse clock). */
    public static final int MAX_REFRESH_ATTEMPTS = 1000;

    public SessionSettings {
        Objects.requireNonNull(accessTokenLifetime, "access token lifetime");
        Objects.requireNonNull(refreshTokenRules, "refresh token rules");
        Objects.requireNonNull(sessionPolicy, "session policy");
        tags = List.copyOf(tags);
        Objects.requireNonNull(refreshTokenUpgrade, "refresh token upgrade");
        if (accessTokenLifetime.isNegative() || accessTokenLifetime.isZero()) {
            throw new IllegalArgumentException("the access token lifetime must be positive");
        }
    }

    /** Legacy sessions move to v2 on their next refresh ({@link RefreshTokenUpgrade#ALL_TO_V2}). */
    public SessionSettings(Duration accessTokenLifetime, RefreshTokenRules refreshTokenRules, SessionPolicy sessionPolicy,
            boolean singleSessionPerUser, List<String> tags) {
        this(accessTokenLifetime, refreshTokenRules, sessionPolicy, singleSessionPerUser, tags, RefreshTokenUpgrade.ALL_TO_V2);
    }

    /** The single-session-per-user rule over the configured tags, when that setting is on. */
    public Optional<SinglePerUserRule> singlePerUserRule() {
        return singleSessionPerUser ? Optional.of(new SinglePerUserRule(tags)) : Optional.empty();
    }

    public static SessionSettings defaults() {
        return new SessionSettings(Duration.ofHours(1), RefreshTokenRules.DEFAULTS, SessionPolicy.NONE, false, List.of());
    }
}
