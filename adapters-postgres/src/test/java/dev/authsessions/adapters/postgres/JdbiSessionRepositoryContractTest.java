package dev.authsessions.adapters.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.authsessions.application.port.out.SessionRepositoryContract;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The session repository contract against PostgreSQL. One database for the class; the pool is large
 * enough that the racing tests really run their threads against the database at once.
 */
class JdbiSessionRepositoryContractTest extends SessionRepositoryContract {
    private static TestDatabase database;
    private static HikariDataSource pool;
    static Jdbi jdbi;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
        pool = PostgresLifecycle.createPool(database.url(), 20, "contract-" + database.name(), Duration.ofSeconds(30));
        jdbi = PostgresLifecycle.createJdbi(pool);
    }

    @AfterAll
    static void dropDatabase() {
        pool.close();
        database.close();
    }

    @Override
    protected Repositories createRepositories() {
        return new Repositories(new JdbiSessionRepository(jdbi), new JdbiUserRepository(jdbi),
                new JdbiOAuthClientRepository(jdbi));
    }

    @Override
    protected void softDeleteUser(UserId id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE auth.users SET deleted_at = :at WHERE id = :id")
                .bind("at", Timestamps.toTimestamptz(at))
                .bind("id", id.value())
                .execute());
    }

    @Override
    protected void insertClaim(SessionId session, AmrClaim claim) {
        Fixtures.addClaim(jdbi, session, claim.method().value(), claim.timestamp());
    }
}
