package dev.authsessions.application.port.in;

/**
 * One pass of the clean-up job: deletes the sessions that expired (past {@code not_after}, past the
 * timebox, or inactive) longer ago than the grace period, in small batches that skip rows other
 * transactions hold, so it never makes a refresh wait.
 */
public interface CleanUpSessionsUseCase {

    Result cleanUp();

    /** How many sessions the pass deleted for each reason (a session counts once, under the first that matched). */
    record Result(int pastNotAfter, int pastTimebox, int inactive) {
        public int total() {
            return pastNotAfter + pastTimebox + inactive;
        }
    }
}
