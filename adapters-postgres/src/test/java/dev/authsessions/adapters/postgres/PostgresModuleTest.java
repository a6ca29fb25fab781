package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.authsessions.application.port.out.MfaFactorRepository;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.application.port.out.SessionCleanup;
import dev.authsessions.application.port.out.SessionDeletions;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.UserRepository;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
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

    @Test
    void aModuleGivenABackgroundStartProvidesThatDatabaseOnceMigrated() {
        try (TestDatabase database = TestDatabases.fresh()) {
            database.jdbi().useHandle(h -> h.execute("DROP SCHEMA auth CASCADE"));
            PostgresSettings settings =
                    new PostgresSettings(Optional.of(database.databaseUrl()), Path.of("unused"), 2);

            CompletableFuture<PostgresLifecycle> starting = PostgresLifecycle.startInBackground(settings, Optional.empty());
            Injector injector = Guice.createInjector(new PostgresModule(starting, HmacKeyEncryption.none()));
            PostgresLifecycle lifecycle = injector.getInstance(PostgresLifecycle.class);
            try {
                assertSame(starting.join(), lifecycle);
                assertSame(lifecycle.jdbi(), injector.getInstance(Jdbi.class));
                assertEquals(List.of("1", "2"), database.jdbi().withHandle(h -> h.createQuery(
                                "SELECT version FROM auth.flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")
                        .mapTo(String.class).list()));
                UserRepository users = injector.getInstance(UserRepository.class);
                User user = Fixtures.user();
                assertTrue(users.upsert(user).created());
                assertEquals(Optional.of(user), users.findById(user.id()));
            } finally {
                lifecycle.close();
            }
            assertFalse(lifecycle.isReachable());
        }
    }

    @Test
    void aFailedBackgroundStartIsRethrownAsTheStartThrewIt() {
        // Nothing listens on port 1: the migration cannot connect.
        PostgresSettings settings = new PostgresSettings(
                Optional.of("postgres://postgres@127.0.0.1:1/postgres"), Path.of("unused"), 2);
        RuntimeException direct = assertThrows(RuntimeException.class, () -> PostgresLifecycle.start(settings, Optional.empty()));

        CompletableFuture<PostgresLifecycle> starting = PostgresLifecycle.startInBackground(settings, Optional.empty());
        RuntimeException awaited = assertThrows(RuntimeException.class, () -> PostgresLifecycle.await(starting));
        assertEquals(direct.getClass(), awaited.getClass());
        assertFalse(awaited instanceof CompletionException, "not wrapped by the future");
        Injector injector = Guice.createInjector(new PostgresModule(starting, HmacKeyEncryption.none()));
        ProvisionException provision = assertThrows(ProvisionException.class, () -> injector.getInstance(PostgresLifecycle.class));
        assertSame(awaited, provision.getCause());
    }

    @Test
    void theModuleEncryptsKeysAsConfiguredAndReportsThePoolToTheMetricsFactory() {
        try (TestDatabase database = TestDatabases.fresh()) {
            PostgresSettings settings =
                    new PostgresSettings(Optional.of(database.databaseUrl()), Path.of("unused"), 2);
            HmacKeyEncryption encryption = HmacKeyEncryption.of(Optional.of("module-key"),
                    Optional.of("bW9kdWxlLWtleS1tb2R1bGUta2V5LW1vZHVsZS1rZXk"), Map.of());
            List<String> trackedPools = new CopyOnWriteArrayList<>();
            MetricsTrackerFactory metrics = (poolName, stats) -> {
                trackedPools.add(poolName);
                return new IMetricsTracker() {
                };
            };

            Injector injector = Guice.createInjector(new PostgresModule(settings, encryption, Optional.of(metrics)));
            PostgresLifecycle lifecycle = injector.getInstance(PostgresLifecycle.class);
            try {
                assertEquals(List.of("auth-sessions"), trackedPools);
                assertSame(encryption, injector.getInstance(HmacKeyEncryption.class));
                User user = injector.getInstance(UserRepository.class).upsert(Fixtures.user()).user();
                Session session = Fixtures.session(user.id());
                SessionRepository sessions = injector.getInstance(SessionRepository.class);
                sessions.create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, session.createdAt()));
                String column = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT refresh_token_hmac_key FROM auth.sessions WHERE id = :id")
                        .bind("id", session.id().value()).mapTo(String.class).one());
                assertTrue(column.startsWith("{\"key_id\":\"module-key\""), "encrypted at rest");
                assertEquals(session.refreshTokenHmacKey(), sessions.findById(session.id()).orElseThrow().refreshTokenHmacKey());
            } finally {
                lifecycle.close();
            }
        }
    }
}
