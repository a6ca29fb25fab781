package dev.authsessions.application.port.out;

import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores sessions and their AMR claims. Counter changes are atomic compare-and-set, never long locks. */
public interface SessionRepository {

    /** Inserts a new session with its first AMR claim. */
    void create(Session session, AmrClaim firstClaim);

    Optional<Session> findById(SessionId id);

    /** The session, its (not deleted) user and its AMR claims, read together for a refresh. */
    Optional<SessionContext> loadForRefresh(SessionId id);

    /**
     * Raises the counter from {@code expectedCounter} to {@code nextCounter} and records the refresh,
     * only if the stored counter is still {@code expectedCounter}.
     *
     * @return the updated session, or empty if another request changed the counter first (or the
     *         session is gone)
     */
    Optional<Session> compareAndSetCounter(
            SessionId id, long expectedCounter, long nextCounter, Instant now, String userAgent, String ip);

    /** Records an allowed reuse: user agent, IP and refresh time move forward; the counter stays. */
    void recordReuse(SessionId id, Instant now, String userAgent, String ip);

    /** @return whether a row was deleted */
    boolean delete(SessionId id);

    /** @return how many sessions were deleted */
    int deleteAllOfUser(UserId userId);

    /** @return how many sessions were deleted */
    int deleteOthersOfUser(UserId userId, SessionId keep);

    /** The session's claims, newest first. */
    List<AmrClaim> claimsOf(SessionId id);

    /** What a refresh reads in one go. */
    record SessionContext(Session session, User user, List<AmrClaim> claims) {
        public SessionContext {
            claims = AmrClaim.newestFirst(claims);
        }
    }
}
