package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.application.port.out.OAuthClientRepositoryContract;
import dev.authsessions.domain.OAuthClientId;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The OAuth client repository contract against PostgreSQL, one database for the class. */
class JdbiOAuthClientRepositoryContractTest extends OAuthClientRepositoryContract {
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
    protected OAuthClientRepository createClientRepository() {
        return new JdbiOAuthClientRepository(database.jdbi());
    }

    @Override
    protected void softDeleteClient(OAuthClientId id, Instant at) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE auth.oauth_clients SET deleted_at = :at WHERE id = :id")
                .bind("at", Timestamps.toTimestamptz(at))
                .bind("id", id.value())
                .execute());
    }
}
