package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.LegacySessionRepositoryContract;
import dev.authsessions.application.port.out.SessionRepositoryContract.Repositories;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.IssuedLegacyToken;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;

/** The v1 repository contract against the in-memory fake. */
class InMemoryLegacySessionRepositoryContractTest extends LegacySessionRepositoryContract {
    private InMemorySessionRepository sessions;

    @Override
    protected Repositories createRepositories() {
        InMemoryUserRepository users = new InMemoryUserRepository();
        sessions = new InMemorySessionRepository(users);
        return new Repositories(sessions, users, new InMemoryOAuthClientRepository(sessions));
    }

    @Override
    protected void insertLegacySession(Session session) {
        sessions.insertLegacySession(session, new AmrClaim(AuthenticationMethod.PASSWORD, session.createdAt()));
    }

    @Override
    protected void insertLegacyToken(String token, UserId user, boolean revoked, Instant at, String parent, SessionId session) {
        sessions.insertLegacyToken(token, user, revoked, at, parent, session);
    }

    @Override
    protected List<IssuedLegacyToken> legacyTokensOf(SessionId session) {
        return sessions.legacyTokensOf(session);
    }
}
