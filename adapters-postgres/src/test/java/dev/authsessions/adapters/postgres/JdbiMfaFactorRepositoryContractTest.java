package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.MfaFactorRepositoryContract;
import dev.authsessions.domain.MfaFactor;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The MFA factor repository contract against PostgreSQL, one database for the class. */
class JdbiMfaFactorRepositoryContractTest extends MfaFactorRepositoryContract {
    private static TestDatabase database;
    private static Jdbi jdbi;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
        jdbi = database.jdbi();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Override
    protected Repositories createRepositories() {
        return new Repositories(new JdbiMfaFactorRepository(jdbi), new JdbiSessionRepository(jdbi),
                new JdbiUserRepository(jdbi));
    }

    @Override
    protected void insertFactor(MfaFactor factor) {
        MfaFactorRow row = MfaFactorRow.from(factor);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO auth.mfa_factors (id, user_id, factor_type, status, created_at, updated_at)
                        VALUES (:id, :userId, CAST(:type AS auth.factor_type), CAST(:status AS auth.factor_status),
                            :createdAt, :updatedAt)
                        """)
                .bind("id", row.id())
                .bind("userId", row.userId())
                .bind("type", row.factorType())
                .bind("status", row.status())
                .bind("createdAt", row.createdAt())
                .bind("updatedAt", row.updatedAt())
                .execute());
    }
}
