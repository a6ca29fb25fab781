package dev.authsessions.application.port.out;

import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores sessions and their AMR claims. Counter changes are atomic compare-and-set, never long locks. */
public interface SessionRepository {

    /**
     * Inserts a new session with its first AMR claim, or nothing.
     *
     * @throws StorageConstraintException {@code USER_GONE} when the session's user does not exist (deleted since the
     *         caller read it), {@code OAUTH_CLIENT_GONE} likewise for its OAuth client, {@code DUPLICATE} when a session
     *         with its id exists
     */
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

    /**
     * Every session of the user, newest first ({@code created_at} descending, then {@code id}
     * descending); empty for an unknown user. Read by the single-session-per-user rule, only when
     * that setting is on.
     */
    List<Session> listOfUser(UserId userId);

    /**
     * Steps a session up after a verified second factor. In ONE transaction:
     * <ol>
     *   <li>upserts the AMR claim ({@code id}, {@code method}): inserted with timestamp {@code now}, or, if the
     *       session already has a claim of that method, its timestamp ({@code updated_at}) moves to {@code now};</li>
     *   <li>sets {@code aal = aal2}, {@code factor_id = factorId}, {@code refresh_token_counter} to the stored
     *       counter + 2, {@code refresh_token_hmac_key = newKey}, and {@code refreshed_at = updated_at = now};
     *       user agent, IP, tag, client, scopes, {@code not_after} and {@code created_at} stay. The new key is the
     *       session's new epoch: no refresh token signed before the step-up verifies any more;</li>
     *   <li>records {@code factorId} as a verified factor of the session's user with the type
     *       {@link dev.authsessions.domain.FactorType#ofMethod} of {@code method}, as
     *       {@link MfaFactorRepository#register} does;</li>
     *   <li>deletes the user's OTHER sessions whose aal is below aal2 (a stored null aal counts as aal1),
     *       with their claims.</li>
     * </ol>
     * Changes nothing and returns empty when the session or its (not deleted) user does not exist, or when
     * {@code factorId} is a factor of another user or of another type.
     *
     * @param method a second factor ({@link AuthenticationMethod#isSecondFactor()}); anything else is an
     *               {@link IllegalArgumentException}
     * @return the session, its user (now with a verified factor) and its claims, as they are after the step-up
     */
    Optional<SessionContext> stepUp(SessionId id, FactorId factorId, AuthenticationMethod method, HmacKey newKey, Instant now);

    /** What a refresh reads in one go. */
    record SessionContext(Session session, User user, List<AmrClaim> claims) {
        public SessionContext {
            claims = AmrClaim.newestFirst(claims);
        }
    }
}
