package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.application.port.out.UserRepositoryContract;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The user repository contract against PostgreSQL, one database for the class. */
class JdbiUserRepositoryContractTest extends UserRepositoryContract {
    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Override
    protected UserRepository createUserRepository() {
        return new JdbiUserRepository(database.jdbi());
    }

    @Override
    protected void softDeleteUser(UserId id, Instant at) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE auth.users SET deleted_at = :at WHERE id = :id")
                .bind("at", Timestamps.toTimestamptz(at))
                .bind("id", id.value())
                .execute());
    }
}
