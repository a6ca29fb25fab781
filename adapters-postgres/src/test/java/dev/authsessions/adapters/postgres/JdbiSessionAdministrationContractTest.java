package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.SessionAdministrationContract;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.SessionId;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;

/**
 * The listing, deletion and clean-up contract against PostgreSQL. The clean-up deletes across users,
 * so every test gets a database of its own (a template copy, a fraction of a second).
 */
class JdbiSessionAdministrationContractTest extends SessionAdministrationContract {
    private TestDatabase database;
    private Jdbi jdbi;

    @Override
    protected Stores createEmptyStores() {
        database = TestDatabases.fresh();
        jdbi = database.jdbi();
        return new Stores(new JdbiSessionRepository(jdbi), new JdbiUserRepository(jdbi), new JdbiOAuthClientRepository(jdbi),
                new JdbiSessionQueries(jdbi), new JdbiSessionDeletions(jdbi), new JdbiSessionCleanup(jdbi));
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Override
    protected void insertClaim(SessionId session, AmrClaim claim) {
        Fixtures.addClaim(jdbi, session, claim.method().value(), claim.timestamp());
    }
}
