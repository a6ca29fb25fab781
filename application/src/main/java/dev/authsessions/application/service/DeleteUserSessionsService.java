package dev.authsessions.application.service;

import dev.authsessions.application.port.in.DeleteUserSessionsUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.application.port.out.SessionDeletions;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.UserRepository;

/** Ends a user's sessions, filtered by OAuth client and/or sparing one; every id is checked before anything is deleted. */
public final class DeleteUserSessionsService implements DeleteUserSessionsUseCase {
    private final UserRepository users;
    private final OAuthClientRepository clients;
    private final SessionRepository sessions;
    private final SessionDeletions deletions;

    public DeleteUserSessionsService(
            UserRepository users, OAuthClientRepository clients, SessionRepository sessions, SessionDeletions deletions) {
        this.users = users;
        this.clients = clients;
        this.sessions = sessions;
        this.deletions = deletions;
    }

    @Override
    public int delete(Command command) {
        if (users.findById(command.userId()).isEmpty()) {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        }
        if (command.onlyClient() != null && clients.findById(command.onlyClient()).isEmpty()) {
            throw Rejection.notFound(ErrorCode.OAUTH_CLIENT_NOT_FOUND, "OAuth client not found");
        }
        if (command.except() != null
                && sessions.findById(command.except()).filter(s -> s.belongsTo(command.userId())).isEmpty()) {
            throw Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "The session to keep is not a session of this user");
        }
        return deletions.deleteOfUser(command.userId(), command.onlyClient(), command.except());
    }
}
