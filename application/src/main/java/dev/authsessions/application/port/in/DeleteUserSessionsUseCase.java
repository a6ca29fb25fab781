package dev.authsessions.application.port.in;

import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.util.Objects;

/** An operator ends a user's sessions: all of them, only one OAuth client's, all but one, or both filters at once. */
public interface DeleteUserSessionsUseCase {

    /**
     * @return how many sessions were deleted
     * @throws Rejection (not found) {@code user_not_found}; {@code oauth_client_not_found} for an unknown
     *                   {@code onlyClient}; {@code session_not_found} when {@code except} is not a session of the
     *                   user (a mistyped id must not turn "all but one" into "all")
     */
    int delete(Command command);

    /** {@code onlyClient} and {@code except} are optional (null). */
    record Command(UserId userId, OAuthClientId onlyClient, SessionId except) {
        public Command {
            Objects.requireNonNull(userId, "user id");
        }
    }
}
