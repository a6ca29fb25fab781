package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.authsessions.application.port.out.MfaFactorRepository;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.application.port.out.SessionCleanup;
import dev.authsessions.application.port.out.SessionDeletions;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.User;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class PostgresModuleTest {

    @Test
    void theModuleMigratesAnEmptyDatabaseAndBindsTheRepositories() {
        try (TestDatabase database = TestDatabases.fresh()) {
            database.jdbi().useHandle(h -> h.execute("DROP SCHEMA auth CASCADE"));
            PostgresSettings settings =
                    new PostgresSettings(Optional.of(database.databaseUrl()), Path.of("unused"), 2);

            Injector injector = Guice.createInjector(new PostgresModule(settings));
            PostgresLifecycle lifecycle = injector.getInstance(PostgresLifecycle.class);
            try {
                assertTrue(lifecycle.isReachable());
                assertEquals(Optional.empty(), lifecycle.embeddedPort());
                assertSame(lifecycle.dataSource(), injector.getInstance(DataSource.class));
                assertSame(lifecycle.jdbi(), injector.getInstance(Jdbi.class));
                assertInstanceOf(JdbiSessionRepository.class, injector.getInstance(SessionRepository.class));
                assertInstanceOf(JdbiOAuthClientRepository.class, injector.getInstance(OAuthClientRepository.class));
                assertInstanceOf(JdbiMfaFactorRepository.class, injector.getInstance(MfaFactorRepository.class));
                assertInstanceOf(JdbiSessionQueries.class, injector.getInstance(SessionQueries.class));
                assertInstanceOf(JdbiSessionDeletions.class, injector.getInstance(SessionDeletions.class));
                assertInstanceOf(JdbiSessionCleanup.class, injector.getInstance(SessionCleanup.class));
                UserRepository users = injector.getInstance(UserRepository.class);
                assertSame(users, injector.getInstance(UserRepository.class));

                User user = Fixtures.user();
                assertTrue(users.upsert(user).created());
                assertEquals(Optional.of(user), users.findById(user.id()));
                assertEquals(1L, Fixtures.count(database.jdbi(),
                        "SELECT count(*) FROM auth.flyway_schema_history WHERE version = '1' AND success"));
            } finally {
                lifecycle.close();
            }
            assertFalse(lifecycle.isReachable());
        }
    }
}
