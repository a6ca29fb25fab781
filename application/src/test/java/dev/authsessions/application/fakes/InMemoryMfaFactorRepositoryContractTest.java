package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.MfaFactorRepositoryContract;
import dev.authsessions.domain.MfaFactor;

/** The MFA factor repository contract against the in-memory fakes the service tests rely on. */
class InMemoryMfaFactorRepositoryContractTest extends MfaFactorRepositoryContract {
    private InMemoryUserRepository users;

    @Override
    protected Repositories createRepositories() {
        users = new InMemoryUserRepository();
        InMemorySessionRepository sessions = new InMemorySessionRepository(users);
        return new Repositories(new InMemoryMfaFactorRepository(users, sessions), sessions, users);
    }

    @Override
    protected void insertFactor(MfaFactor factor) {
        users.putFactor(factor);
    }
}
