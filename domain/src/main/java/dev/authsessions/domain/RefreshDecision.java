package dev.authsessions.domain;

import java.util.List;

/** What to do with a presented refresh token, decided by {@link RefreshTokenRules}. */
public sealed interface RefreshDecision {

    /** Normal use: raise the counter to {@code nextCounter} and issue its token. */
    record Rotate(long expectedCounter, long nextCounter) implements RefreshDecision {
    }

    /** Allowed reuse: answer with the token of the current counter without raising it. */
    record ReuseAllowed(long currentCounter, List<ReuseCause> causes) implements RefreshDecision {
        public ReuseAllowed {
            causes = List.copyOf(causes);
        }
    }

    /** Refused reuse; with {@code terminateSession} the whole session must be deleted. */
    record ReuseRejected(boolean terminateSession) implements RefreshDecision {
    }

    /** The token claims a counter this server never issued. */
    record NotIssuedByThisServer() implements RefreshDecision {
    }
}
