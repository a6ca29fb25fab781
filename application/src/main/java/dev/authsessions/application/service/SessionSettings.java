package dev.authsessions.application.service;

import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.SessionPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** The configuration the session use cases apply. */
public record SessionSettings(
        Duration accessTokenLifetime,
        RefreshTokenRules refreshTokenRules,
        SessionPolicy sessionPolicy,
        boolean singleSessionPerUser,
        List<String> tags) {

    public static final Duration MAX_REFRESH_WAIT = Duration.ofSeconds(5);

    public SessionSettings {
        Objects.requireNonNull(accessTokenLifetime, "access token lifetime");
        Objects.requireNonNull(refreshTokenRules, "refresh token rules");
        Objects.requireNonNull(sessionPolicy, "session policy");
        tags = List.copyOf(tags);
        if (accessTokenLifetime.isNegative() || accessTokenLifetime.isZero()) {
            throw new IllegalArgumentException("the access token lifetime must be positive");
        }
    }

    public static SessionSettings defaults() {
        return new SessionSettings(Duration.ofHours(1), RefreshTokenRules.DEFAULTS, SessionPolicy.NONE, false, List.of());
    }
}
