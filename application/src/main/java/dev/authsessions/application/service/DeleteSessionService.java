package dev.authsessions.application.service;

import dev.authsessions.application.port.in.DeleteSessionUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.domain.SessionId;

/** Ends one session for an operator; its claims and refresh tokens go with it by cascade. */
public final class DeleteSessionService implements DeleteSessionUseCase {
    private final SessionRepository sessions;

    public DeleteSessionService(SessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public void delete(SessionId id) {
        if (!sessions.delete(id)) {
            throw Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found");
        }
    }
}
