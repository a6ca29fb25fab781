package dev.authsessions.application.port.out;

import dev.authsessions.domain.ReuseCause;
import dev.authsessions.domain.SessionValidity;
import java.util.List;

/**
 * What the refresh grant decided, reported after the decision took effect (for metrics). Called once
 * per answered refresh that reached a session's rules; never for a malformed or unknown token. An
 * implementation must be cheap and must not throw.
 */
public interface SessionEvents {

    /** The counter moved on and a new token was issued. */
    void rotated();

    /** An old token was answered with the current one, for these causes. */
    void reuseAllowed(List<ReuseCause> causes);

    /** An old token was refused as reused; {@code sessionEnded} when the session was deleted for it. */
    void reuseRejected(boolean sessionEnded);

    /** The session is no longer valid, for {@code reason} (never {@link SessionValidity#VALID}). */
    void expired(SessionValidity reason);

    /** Single session per user: a newer session of the user's group won. */
    void revokedByNewerLogin();

    /** A clean-up pass deleted these sessions, counted by the rule they had expired by. */
    void cleanedUp(int pastNotAfter, int pastTimebox, int inactive);
}
