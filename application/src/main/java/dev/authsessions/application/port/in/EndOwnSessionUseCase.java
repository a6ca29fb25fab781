package dev.authsessions.application.port.in;

import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.domain.SessionId;

/** A signed-in user ends one of their own sessions ({@code DELETE /sessions/{id}}), possibly the current one. */
public interface EndOwnSessionUseCase {

    /** @throws Rejection {@code session_not_found} (not found) when no session of the caller's user has that id */
    void endOwn(Caller caller, SessionId id);
}
