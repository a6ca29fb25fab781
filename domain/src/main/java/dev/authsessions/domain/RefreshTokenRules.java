package dev.authsessions.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reuse rules of SPEC §2 as a pure function of the stored counter, the presented counter,
 * the session's last refresh and now; and GoTrue's rules for legacy v1 tokens ({@link #decideLegacy}),
 * under the same rotation setting and reuse interval.
 */
public record RefreshTokenRules(boolean rotationEnabled, Duration reuseInterval, boolean alwaysAllowReuse) {

    public static final RefreshTokenRules DEFAULTS = new RefreshTokenRules(true, Duration.ofSeconds(10), false);

    public RefreshTokenRules {
        Objects.requireNonNull(reuseInterval, "reuse interval");
        if (reuseInterval.isNegative()) {
            throw new IllegalArgumentException("the reuse interval cannot be negative");
        }
    }

    public RefreshDecision decide(long storedCounter, long presentedCounter, Instant lastRefreshedAt, Instant now) {
        if (presentedCounter > storedCounter) {
            return new RefreshDecision.NotIssuedByThisServer();
        }
        if (presentedCounter == storedCounter) {
            if (storedCounter == Long.MAX_VALUE) {
                // The counter space is spent; no further token can be issued for this session.
                return new RefreshDecision.ReuseRejected(false);
            }
            return new RefreshDecision.Rotate(storedCounter, storedCounter + 1);
        }
        long behind = storedCounter - presentedCounter;
        List<ReuseCause> causes = new ArrayList<>(3);
        if (Duration.between(lastRefreshedAt, now).abs().compareTo(reuseInterval) < 0) {
            causes.add(ReuseCause.CONCURRENT_REFRESH);
        }
        if (behind == 1) {
            causes.add(ReuseCause.FAIL_TO_SAVE);
        }
        if (alwaysAllowReuse) {
            causes.add(ReuseCause.ALWAYS_ALLOW);
        }
        if (!causes.isEmpty()) {
            return new RefreshDecision.ReuseAllowed(storedCounter, causes);
        }
        return new RefreshDecision.ReuseRejected(rotationEnabled);
    }

    /**
     * GoTrue's rules for a presented v1 token, in its order: a token that is not revoked is swapped for
     * its child; a revoked token that is the parent of the session's active token gets that token back
     * (the client lost the answer, or a concurrent refresh won); any other revoked token is swapped only
     * while now is at most the reuse interval after its {@code updated_at}, else it is refused and, with
     * rotation on, the session's whole family is revoked. GoTrue's "always allow reuse" does not apply to
     * v1 tokens. Once the session is on v2, the token that was swapped for the first v2 token (the
     * parent of the session's newest v1 row) gets the current v2 token inside the interval, so concurrent
     * refreshes of it all get one answer; any other revoked v1 token is refused.
     */
    public LegacyRefreshDecision decideLegacy(LegacyTokenFamily family, Instant now) {
        IssuedLegacyToken presented = family.presented();
        if (!presented.revoked()) {
            return new LegacyRefreshDecision.Swap();
        }
        if (family.active().isPresent() && presented.isParentOf(family.active().get())) {
            return new LegacyRefreshDecision.ReturnActive(family.active().get());
        }
        boolean insideInterval = !now.isAfter(presented.updatedAt().plus(reuseInterval));
        if (insideInterval && !family.sessionOnV2()) {
            return new LegacyRefreshDecision.Swap();
        }
        if (insideInterval && family.newest().filter(n -> n.revoked() && presented.isParentOf(n)).isPresent()) {
            return new LegacyRefreshDecision.ReturnCurrentV2();
        }
        return new LegacyRefreshDecision.Rejected(rotationEnabled);
    }
}
