package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The two ways to run, chosen at start by what the database holds, with no setting: standalone (an empty
 * database, or one auth-sessions migrated) and beside GoTrue (GoTrue's schema, restored from the shared
 * fixture), where nothing of GoTrue's changes and a role or a schema auth-sessions cannot work with is refused
 * with one line.
 */
class DatabaseModeTest {
    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC);

    private static PostgresSettings settings(String url) {
        return new PostgresSettings(Optional.of(url), Path.of("unused"), 2);
    }

    private static List<String> flywayVersions(TestDatabase database, String schema) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT version FROM " + schema
                        + ".flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")
                .mapTo(String.class).list());
    }

    private static boolean exists(TestDatabase database, String relation) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT to_regclass(:r) IS NOT NULL")
                .bind("r", relation).mapTo(Boolean.class).one());
    }

    private static boolean schemaExists(TestDatabase database, String schema) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = :s)")
                .bind("s", schema).mapTo(Boolean.class).one());
    }

    /** Starts and closes the database on {@code url}; returns its mode and the INFO lines that name the mode. */
    private static Map.Entry<DatabaseMode, List<String>> startLogged(String url) {
        Logger logger = (Logger) LoggerFactory.getLogger(PostgresLifecycle.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(logged);
        try (PostgresLifecycle lifecycle = PostgresLifecycle.start(settings(url))) {
            return Map.entry(lifecycle.mode(), logged.list.stream()
                    .filter(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().startsWith("database mode"))
                    .map(ILoggingEvent::getFormattedMessage).toList());
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(level);
        }
    }

    private static UnsuitableDatabaseException refusedStart(String url) {
        UnsuitableDatabaseException refused = assertThrows(UnsuitableDatabaseException.class,
                () -> PostgresLifecycle.start(settings(url)).close());
        assertFalse(refused.getMessage().contains("\n"), "one line: " + refused.getMessage());
        return refused;
    }

    @Test
    void onGoTruesSchemaItStartsBesideGoTrueWithNoSettingAndChangesNothingOfGoTrues() {
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            List<String> before = CatalogFingerprint.of(database, "auth");
            assertTrue(before.size() > 500, "the fingerprint covers GoTrue's schema: " + before.size() + " lines");
            Map.Entry<DatabaseMode, List<String>> started = startLogged(database.databaseUrl());
            assertEquals(DatabaseMode.BESIDE_GOTRUE, started.getKey());
            assertEquals(List.of("database mode: beside GoTrue (GoTrue owns schema auth, at migration 20260625000000; "
                    + "auth-sessions keeps its own objects in schema auth_sessions)"), started.getValue());
            assertEquals(before, CatalogFingerprint.of(database, "auth"), "GoTrue's schema is unchanged");
            assertEquals(List.of("1"), flywayVersions(database, "auth_sessions"), "our history lives in our own schema");
            assertFalse(exists(database, "auth.flyway_schema_history"), "no history table in GoTrue's schema");

            // A restart finds its own history and stays beside GoTrue; still nothing of GoTrue's changes.
            try (PostgresLifecycle again = PostgresLifecycle.start(settings(database.databaseUrl()))) {
                assertEquals(DatabaseMode.BESIDE_GOTRUE, again.mode());
            }
            assertEquals(before, CatalogFingerprint.of(database, "auth"));
            assertEquals(List.of("1"), flywayVersions(database, "auth_sessions"));
        }
    }

    @Test
    void asGoTruesOwnRoleItReadsAndWritesTheSessionsPastRowLevelSecurity() {
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            List<String> before = CatalogFingerprint.of(database, "auth");
            UUID user = UUID.randomUUID();
            UUID gotrueSession = UUID.randomUUID();
            GoTrueDatabases.insertUser(database, user, "ada@example.com", AT);
            GoTrueDatabases.insertV2Session(database, gotrueSession, user, Fixtures.key().bytes(), AT, "Mozilla/5.0", "203.0.113.7");
            String url = database.databaseUrlAs(GoTrueDatabases.GOTRUE_ROLE, GoTrueDatabases.GOTRUE_ROLE_PASSWORD);

            Injector injector = Guice.createInjector(new PostgresModule(settings(url)));
            try (PostgresLifecycle lifecycle = injector.getInstance(PostgresLifecycle.class)) {
                assertEquals(DatabaseMode.BESIDE_GOTRUE, injector.getInstance(DatabaseMode.class));
                JdbiSessionRepository sessions = new JdbiSessionRepository(lifecycle.jdbi());
                Session found = sessions.findById(new SessionId(gotrueSession)).orElseThrow();
                assertEquals(0, found.refreshTokenCounter());
                Session ours = Fixtures.session(found.userId());
                sessions.create(ours, Fixtures.claim(dev.authsessions.domain.AuthenticationMethod.PASSWORD, ours.createdAt()));
                assertTrue(sessions.findById(ours.id()).isPresent());
            }
            assertEquals(GoTrueDatabases.GOTRUE_ROLE, database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'auth_sessions'").mapTo(String.class).one()));
            assertEquals(before, CatalogFingerprint.of(database, "auth"));
        }
    }

    @Test
    void aGoTrueSchemaFromBeforeTheRefreshTokenColumnsIsRefusedNamingTheReleaseNeeded() {
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            GoTrueDatabases.execute(database, """
                    DELETE FROM auth.schema_migrations WHERE version >= '20251007112900';
                    ALTER TABLE auth.sessions DROP COLUMN refresh_token_hmac_key, DROP COLUMN refresh_token_counter;
                    """);
            List<String> before = CatalogFingerprint.of(database, "auth");

            UnsuitableDatabaseException refused = refusedStart(database.databaseUrl());

            assertEquals("GoTrue's schema in this database is too old: auth-sessions needs Supabase Auth v2.181.0 or later "
                    + "(migration 20251007112900, which adds auth.sessions.refresh_token_hmac_key and refresh_token_counter); "
                    + "the newest applied is 20250925093508", refused.getMessage());
            assertFalse(schemaExists(database, "auth_sessions"), "nothing created");
            assertEquals(before, CatalogFingerprint.of(database, "auth"));
        }
    }

    @Test
    void aRoleThatRowLevelSecurityFiltersIsRefusedNamingTheRoleAndWhatItLacks() {
        String role = TestDatabases.uniqueName("rls_filtered");
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            // Every privilege a table can have, and its own schema allowed: only row-level security stands in the way.
            GoTrueDatabases.execute(database, "CREATE ROLE " + role + " LOGIN PASSWORD 'filtered-pw';"
                    + "GRANT USAGE ON SCHEMA auth TO " + role + ";"
                    + "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA auth TO " + role + ";"
                    + "GRANT CREATE ON DATABASE " + database.name() + " TO " + role + ";");
            List<String> before = CatalogFingerprint.of(database, "auth");

            UnsuitableDatabaseException refused = refusedStart(database.databaseUrlAs(role, "filtered-pw"));

            assertEquals("role \"" + role + "\" cannot work beside GoTrue: row-level security hides the rows of auth.sessions, "
                    + "auth.mfa_amr_claims, auth.refresh_tokens, auth.users, auth.mfa_factors, auth.schema_migrations from it "
                    + "(it is neither their owner supabase_auth_admin nor a superuser and has no BYPASSRLS) "
                    + "(connect as supabase_auth_admin, or a role with BYPASSRLS and these privileges)", refused.getMessage());
            assertFalse(schemaExists(database, "auth_sessions"), "nothing created");
            assertEquals(before, CatalogFingerprint.of(database, "auth"));
        } finally {
            GoTrueDatabases.dropRole(role);
        }
    }

    @Test
    void aRoleWithBypassRlsIsRefusedUntilItHasThePrivilegesAndThenStarts() {
        String role = TestDatabases.uniqueName("bypass_rls");
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            GoTrueDatabases.execute(database, "CREATE ROLE " + role + " LOGIN BYPASSRLS PASSWORD 'bypass-pw';"
                    + "GRANT USAGE ON SCHEMA auth TO " + role + ";"
                    + "GRANT SELECT, INSERT, UPDATE, DELETE ON auth.sessions TO " + role + ";"
                    + "GRANT SELECT ON auth.mfa_amr_claims, auth.users, auth.mfa_factors, auth.oauth_clients TO " + role + ";");
            String url = database.databaseUrlAs(role, "bypass-pw");

            assertEquals("role \"" + role + "\" cannot work beside GoTrue: it lacks INSERT/UPDATE/DELETE on auth.mfa_amr_claims, "
                    + "SELECT/INSERT/UPDATE on auth.refresh_tokens, SELECT on auth.schema_migrations "
                    + "(connect as supabase_auth_admin, or a role with BYPASSRLS and these privileges)", refusedStart(url).getMessage());

            GoTrueDatabases.execute(database, "GRANT SELECT, INSERT, UPDATE, DELETE ON auth.mfa_amr_claims TO " + role + ";"
                    + "GRANT SELECT, INSERT, UPDATE ON auth.refresh_tokens TO " + role + ";"
                    + "GRANT SELECT ON auth.schema_migrations TO " + role + ";");
            assertEquals("role \"" + role + "\" cannot keep auth-sessions' own schema auth_sessions: it lacks CREATE on the "
                    + "database, and the schema does not exist yet", refusedStart(url).getMessage());

            GoTrueDatabases.execute(database, "GRANT CREATE ON DATABASE " + database.name() + " TO " + role);
            List<String> before = CatalogFingerprint.of(database, "auth");
            try (PostgresLifecycle lifecycle = PostgresLifecycle.start(settings(url))) {
                assertEquals(DatabaseMode.BESIDE_GOTRUE, lifecycle.mode());
            }
            assertEquals(before, CatalogFingerprint.of(database, "auth"));
        } finally {
            GoTrueDatabases.dropRole(role);
        }
    }

    @Test
    void anEmptyDatabaseStillGetsTheStandaloneSchema() {
        try (TestDatabase database = TestDatabases.empty()) {
            Injector injector = Guice.createInjector(new PostgresModule(settings(database.databaseUrl())));
            try (PostgresLifecycle lifecycle = injector.getInstance(PostgresLifecycle.class)) {
                assertEquals(DatabaseMode.STANDALONE, lifecycle.mode());
                assertEquals(DatabaseMode.STANDALONE, injector.getInstance(DatabaseMode.class));
            }
            assertEquals(List.of("1", "2"), flywayVersions(database, "auth"));
            assertEquals(List.of("database mode: standalone (auth-sessions owns and migrates schema auth)"),
                    startLogged(database.databaseUrl()).getValue(), "and a restart stays standalone");
            assertEquals(List.of("1", "2"), flywayVersions(database, "auth"));
            assertEquals("{fillfactor=80}", database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT reloptions::text FROM pg_class WHERE oid = 'auth.sessions'::regclass").mapTo(String.class).one()));
            assertFalse(schemaExists(database, "auth_sessions"));
        }
    }

    @Test
    void aDatabaseMigratedBeforeTheseModesStillStartsStandaloneUnchanged() {
        // The template of TestDatabases is migrated by PostgresLifecycle.migrate, the start's only path before.
        try (TestDatabase database = TestDatabases.fresh()) {
            List<String> before = CatalogFingerprint.of(database, "auth");
            List<String> history = database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT installed_rank || ' ' || coalesce(version, '-') || ' ' || installed_on FROM auth.flyway_schema_history ORDER BY 1")
                    .mapTo(String.class).list());
            try (PostgresLifecycle lifecycle = PostgresLifecycle.start(settings(database.databaseUrl()))) {
                assertEquals(DatabaseMode.STANDALONE, lifecycle.mode());
            }
            assertEquals(before, CatalogFingerprint.of(database, "auth"));
            assertEquals(history, database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT installed_rank || ' ' || coalesce(version, '-') || ' ' || installed_on FROM auth.flyway_schema_history ORDER BY 1")
                    .mapTo(String.class).list()));
            assertFalse(schemaExists(database, "auth_sessions"));
        }
    }

    @Test
    void aGoTrueDatabaseWithAForcedFlywayBaselineInAuthIsStillGoTruesAndNotMigratedThere() {
        // What issue 11 tried first: a Flyway baseline at version 1 in GoTrue's schema, after which the standalone
        // migrations would apply V2 (a storage parameter on GoTrue's auth.sessions).
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            Flyway.configure().dataSource(database.dataSource()).schemas("auth").baselineVersion("1")
                    .locations("classpath:db/migration").load().baseline();
            List<String> before = CatalogFingerprint.of(database, "auth");
            List<String> leftHistory = flywayVersions(database, "auth");

            assertEquals(DatabaseMode.BESIDE_GOTRUE, startLogged(database.databaseUrl()).getKey());

            assertEquals(before, CatalogFingerprint.of(database, "auth"), "no fillfactor, nothing else either");
            assertEquals(leftHistory, flywayVersions(database, "auth"), "the left-over history is left alone");
            assertEquals(List.of("1"), flywayVersions(database, "auth_sessions"));
        }
    }

    @Test
    void anAuthSchemaThatNeitherMigratedIsRefusedRatherThanGuessed() {
        try (TestDatabase database = TestDatabases.empty()) {
            GoTrueDatabases.execute(database, "CREATE SCHEMA auth; CREATE TABLE auth.users (id uuid PRIMARY KEY)");
            assertEquals("schema auth holds objects but neither auth-sessions' history (auth.flyway_schema_history) nor "
                    + "GoTrue's (auth.schema_migrations); refusing to guess who owns it",
                    refusedStart(database.databaseUrl()).getMessage());
            assertFalse(exists(database, "auth.flyway_schema_history"));
        }
    }

    @Test
    void ourBesideHistoryWithGoTruesSchemaGoneIsRefused() {
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            try (PostgresLifecycle lifecycle = PostgresLifecycle.start(settings(database.databaseUrl()))) {
                assertEquals(DatabaseMode.BESIDE_GOTRUE, lifecycle.mode());
            }
            GoTrueDatabases.execute(database, "DROP SCHEMA auth CASCADE");
            assertEquals("auth-sessions ran beside GoTrue on this database (auth_sessions.flyway_schema_history exists) but "
                    + "GoTrue's auth.schema_migrations is gone; refusing to create a schema auth of its own",
                    refusedStart(database.databaseUrl()).getMessage());
            assertFalse(schemaExists(database, "auth"));
        }
    }
}
