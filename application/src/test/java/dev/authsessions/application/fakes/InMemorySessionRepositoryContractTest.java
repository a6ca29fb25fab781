package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.SessionRepositoryContract;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.time.Instant;

/** The session repository contract against the in-memory fakes the service tests rely on. */
class InMemorySessionRepositoryContractTest extends SessionRepositoryContract {
    private InMemoryUserRepository users;
    private InMemorySessionRepository sessions;

    @Override
    protected Repositories createRepositories() {
        users = new InMemoryUserRepository();
        sessions = new InMemorySessionRepository(users);
        return new Repositories(sessions, users, new InMemoryOAuthClientRepository(sessions));
    }

    @Override
    protected void softDeleteUser(UserId id, Instant at) {
        users.softDelete(id, at);
    }

    @Override
    protected void insertClaim(SessionId session, AmrClaim claim) {
        sessions.addClaim(session, claim);
    }
}
