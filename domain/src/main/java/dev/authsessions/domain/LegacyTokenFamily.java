package dev.authsessions.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * What the v1 rules look at, read together under the session's row lock: the presented token, the
 * session's newest token that is not revoked (GoTrue's "currently active" one), its newest token of any
 * kind, and whether the session already carries v2 token data (an HMAC key and a counter).
 */
public record LegacyTokenFamily(
        IssuedLegacyToken presented,
        Optional<IssuedLegacyToken> active,
        Optional<IssuedLegacyToken> newest,
        boolean sessionOnV2) {

    public LegacyTokenFamily {
        Objects.requireNonNull(presented, "presented");
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(newest, "newest");
    }
}
