package dev.authsessions.application.service;

import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.EndOwnSessionUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.SessionDeletions;
import dev.authsessions.domain.SessionId;

/** Ends one of the caller's sessions; someone else's session is answered exactly as a missing one. */
public final class EndOwnSessionService implements EndOwnSessionUseCase {
    private final SessionDeletions deletions;

    public EndOwnSessionService(SessionDeletions deletions) {
        this.deletions = deletions;
    }

    @Override
    public void endOwn(Caller caller, SessionId id) {
        if (!deletions.deleteOwned(caller.user().id(), id)) {
            throw Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found");
        }
    }
}
