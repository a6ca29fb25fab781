package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.application.port.out.UserRepositoryContract;
import dev.authsessions.domain.UserId;
import java.time.Instant;

/** The user repository contract against the in-memory fake the service tests rely on. */
class InMemoryUserRepositoryContractTest extends UserRepositoryContract {
    private InMemoryUserRepository users;

    @Override
    protected UserRepository createUserRepository() {
        users = new InMemoryUserRepository();
        return users;
    }

    @Override
    protected void softDeleteUser(UserId id, Instant at) {
        users.softDelete(id, at);
    }
}
