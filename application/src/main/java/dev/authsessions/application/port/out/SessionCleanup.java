package dev.authsessions.application.port.out;

import java.time.Instant;

/**
 * Deletes expired sessions for the clean-up job. Each call is one short transaction that deletes at
 * most {@code batchSize} sessions and skips rows another transaction has locked (a refresh in flight),
 * so it never waits on a lock nor holds one for long.
 */
public interface SessionCleanup {

    /** What an expiry is measured by; a session is deleted when that instant is strictly before the cutoff. */
    enum Expiry {
        /** {@code not_after}; sessions without one never match. */
        NOT_AFTER,
        /** {@code created_at}, for the timebox. */
        CREATED_AT,
        /** The last refresh, or the creation when never refreshed, for the inactivity timeout. */
        LAST_REFRESHED_AT
    }

    /** @return how many sessions were deleted; less than {@code batchSize} when no more (unlocked) ones match */
    int deleteBatch(Expiry expiry, Instant cutoff, int batchSize);
}
