package dev.authsessions.application.port.out;

import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;

/** Deletes sessions (with their claims, by cascade) by owner, each call one statement. */
public interface SessionDeletions {

    /** Deletes the session only if it belongs to {@code owner}. @return whether a session was deleted */
    boolean deleteOwned(UserId owner, SessionId id);

    /**
     * Deletes the owner's sessions; only those of {@code onlyClient} when it is not null, and never {@code except}
     * when it is not null.
     *
     * @return how many sessions were deleted
     */
    int deleteOfUser(UserId owner, OAuthClientId onlyClient, SessionId except);
}
