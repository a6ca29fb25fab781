package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.SessionAdministrationContract;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.SessionId;

/** The listing, deletion and clean-up contract against the in-memory fake the service tests rely on. */
class InMemorySessionAdministrationContractTest extends SessionAdministrationContract {
    private InMemorySessionRepository sessions;

    @Override
    protected Stores createEmptyStores() {
        InMemoryUserRepository users = new InMemoryUserRepository();
        sessions = new InMemorySessionRepository(users);
        InMemorySessionAdministration administration = new InMemorySessionAdministration(sessions);
        return new Stores(sessions, users, new InMemoryOAuthClientRepository(sessions), administration, administration,
                administration);
    }

    @Override
    protected void insertClaim(SessionId session, AmrClaim claim) {
        sessions.addClaim(session, claim);
    }
}
