package dev.authsessions.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reuse rules of SPEC §2 as a pure function of the stored counter, the presented counter,
 * the session's last refresh and now.
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
}
