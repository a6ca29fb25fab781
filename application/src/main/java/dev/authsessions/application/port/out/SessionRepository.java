package dev.authsessions.application.port.out;

import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.IssuedLegacyToken;
import dev.authsessions.domain.LegacyRefreshDecision;
import dev.authsessions.domain.LegacyRefreshToken;
import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
     *       counter + 2 (0 for a legacy session, which so moves to v2), {@code refresh_token_hmac_key = newKey}, and {@code refreshed_at = updated_at = now};
     *       user agent, IP, tag, client, scopes, {@code not_after} and {@code created_at} stay. The new key is the
     *       session's new epoch: no refresh token signed before the step-up verifies any more, and the session's legacy v1 tokens are
 *       deleted;</li>
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

    /**
     * A legacy (v1) token's row in {@code auth.refresh_tokens} with what a refresh checks before it decides:
     * the token's session with its user and claims, or, for a row that names no existing session, the
     * row's own user. Empty when no row has this token or its user does not exist (or is deleted).
     */
    Optional<LegacyTokenContext> loadForLegacyRefresh(LegacyRefreshToken token);

    /** Deletes the token's row (GoTrue does so for a presented token that belongs to no session). */
    void deleteLegacyToken(IssuedLegacyToken token);

    /**
     * One v1 refresh, atomic: under the session's row lock (held for a few statements only; a wait longer
     * than the connection's lock timeout is a {@link StorageConflictException}), re-reads the presented
     * token and the session's family, decides with {@link RefreshTokenRules#decideLegacy} and applies the
     * decision:
     * <ul>
     *   <li>{@code Swap}: the presented token is revoked ({@code updated_at = now}) and {@code child} is inserted
     *       (parent = the presented token, same session and user, {@code created_at = updated_at = now}, the nil
     *       {@code instance_id}). With {@code upgradeKey} present the session moves to v2 as GoTrue moves it:
     *       a session without v2 data gets that key and counter 0, one with it counter + 1, and the child is
     *       inserted already revoked; the answer is then the session's v2 token.</li>
     *   <li>{@code ReturnActive} / {@code ReturnCurrentV2}: no token changes; the answer is the active v1 token
     *       or the session's current v2 token.</li>
     *   <li>{@code Rejected}: with {@code revokeFamily}, every token of the session that is not revoked is
     *       revoked ({@code updated_at = now}); the session row stays, as in GoTrue.</li>
     * </ul>
     * Every answered refresh also records {@code now} as the refresh time ({@code refreshed_at},
     * {@code updated_at}) with the user agent and IP; a refused one does not.
     *
     * @return empty when the token or its session no longer exists
     */
    Optional<LegacyRefreshResult> refreshLegacy(LegacyRefresh refresh);

    /** The input of {@link #refreshLegacy}. */
    record LegacyRefresh(
            LegacyRefreshToken presented,
            SessionId sessionId,
            RefreshTokenRules rules,
            LegacyRefreshToken child,
            Optional<HmacKey> upgradeKey,
            Instant now,
            String userAgent,
            String ip) {
        public LegacyRefresh {
            Objects.requireNonNull(presented, "presented");
            Objects.requireNonNull(sessionId, "session id");
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(child, "child");
            Objects.requireNonNull(upgradeKey, "upgrade key");
            Objects.requireNonNull(now, "now");
        }

        @Override
        public String toString() {
            return "LegacyRefresh[session=" + sessionId + "]";
        }
    }

    /**
     * What {@link #refreshLegacy} decided and the session as it is afterwards; {@code refreshToken} is the
     * answer (null when {@code Rejected}), a v2 token when {@code v2}.
     */
    record LegacyRefreshResult(LegacyRefreshDecision decision, Session session, String refreshToken, boolean v2) {
        public LegacyRefreshResult {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(session, "session");
        }

        @Override
        public String toString() {
            return "LegacyRefreshResult[" + decision.getClass().getSimpleName() + ", session=" + session.id() + "]";
        }
    }

    /** What a v1 refresh reads before it decides; {@code session} empty when the row names no existing session. */
    record LegacyTokenContext(IssuedLegacyToken token, User user, Optional<SessionContext> session) {
        public LegacyTokenContext {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(session, "session");
        }
    }

    /** What a refresh reads in one go. */
    record SessionContext(Session session, User user, List<AmrClaim> claims) {
        public SessionContext {
            claims = AmrClaim.newestFirst(claims);
        }
    }
}
