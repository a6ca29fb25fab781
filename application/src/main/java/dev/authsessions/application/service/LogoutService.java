package dev.authsessions.application.service;

import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.LogoutUseCase;
import dev.authsessions.application.port.out.SessionRepository;

/** Ends the caller's session, its other sessions, or all of its sessions. */
public final class LogoutService implements LogoutUseCase {
    private final SessionRepository sessions;

    public LogoutService(SessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public void logout(Caller caller, Scope scope) {
        switch (scope) {
            case LOCAL -> sessions.delete(caller.session().id());
            case OTHERS -> sessions.deleteOthersOfUser(caller.user().id(), caller.session().id());
            case GLOBAL -> sessions.deleteAllOfUser(caller.user().id());
            default -> throw new IllegalStateException("unknown scope " + scope);
        }
    }
}
