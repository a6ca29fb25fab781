package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.application.port.out.OAuthClientRepositoryContract;
import dev.authsessions.domain.OAuthClientId;
import java.time.Instant;

/** The OAuth client repository contract against the in-memory fake the service tests rely on. */
class InMemoryOAuthClientRepositoryContractTest extends OAuthClientRepositoryContract {
    private InMemoryOAuthClientRepository clients;

    @Override
    protected OAuthClientRepository createClientRepository() {
        clients = new InMemoryOAuthClientRepository(new InMemorySessionRepository(new InMemoryUserRepository()));
        return clients;
    }

    @Override
    protected void softDeleteClient(OAuthClientId id, Instant at) {
        clients.softDelete(id, at);
    }
}
