package dev.authsessions.application.service;

import dev.authsessions.application.port.in.CleanUpSessionsUseCase;
import dev.authsessions.application.port.out.SessionCleanup;
import dev.authsessions.application.port.out.SessionEvents;
import dev.authsessions.application.port.out.SessionCleanup.Expiry;
import dev.authsessions.domain.SessionPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One clean-up pass: for each expiry rule that is on, deletes batch after batch of the sessions past it
 * by more than the grace period, until a batch comes back short. The cutoffs are fixed at the start of
 * the pass, so a pass always ends. The limits mirror {@link SessionPolicy#check}: a session is expired only
 * strictly after its limit, and deleted only when that limit is strictly before {@code now - grace}.
 */
public final class CleanUpSessionsService implements CleanUpSessionsUseCase {
    private final SessionCleanup cleanup;
    private final SessionPolicy policy;
    private final CleanupSettings settings;
    private final Clock clock;
    private final SessionEvents events;

    public CleanUpSessionsService(SessionCleanup cleanup, SessionSettings sessionSettings, CleanupSettings settings, Clock clock,
                                  SessionEvents events) {
        this.cleanup = cleanup;
        this.events = events;
        this.policy = sessionSettings.sessionPolicy();
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Result cleanUp() {
        Instant expiredBefore = clock.instant().truncatedTo(ChronoUnit.MICROS).minus(settings.grace());
        int pastNotAfter = deleteAll(Expiry.NOT_AFTER, expiredBefore);
        int pastTimebox = policy.timebox().map(timebox -> deleteAll(Expiry.CREATED_AT, expiredBefore.minus(timebox))).orElse(0);
        int inactive = policy.inactivityTimeout()
                .map(timeout -> deleteAll(Expiry.LAST_REFRESHED_AT, expiredBefore.minus(timeout)))
                .orElse(0);
        events.cleanedUp(pastNotAfter, pastTimebox, inactive);
        return new Result(pastNotAfter, pastTimebox, inactive);
    }

    private int deleteAll(Expiry expiry, Instant cutoff) {
        int deleted = 0;
        int batch;
        do {
            batch = cleanup.deleteBatch(expiry, cutoff, settings.batchSize());
            deleted += batch;
        } while (batch >= settings.batchSize());
        return deleted;
    }
}
