package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GoTrue-shaped database the beside-GoTrue tests run on, and the catalog fingerprint that proves they leave
 * it unchanged: the fixture restores whole, and every kind of change to the schema shows in the fingerprint.
 */
class GoTrueFixtureTest {
    private static TestDatabase database;

    @BeforeAll
    static void restoreFixture() {
        database = GoTrueDatabases.fresh();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void theCommittedCopyIsByteIdenticalToTheSharedFixtureWhenThatIsPresent() throws Exception {
        Optional<Path> shared = GoTrueDatabases.shared();
        if (shared.isPresent()) {
            assertArrayEquals(Files.readAllBytes(shared.get()), GoTrueDatabases.committedCopy(),
                    "adapters-postgres/src/test/resources" + GoTrueDatabases.COPY_RESOURCE + " differs from " + shared.get());
        } else {
            assertTrue(GoTrueDatabases.committedCopy().length > 10_000, "the committed copy is the fixture used");
        }
    }

    @Test
    void theFixtureRestoresGoTruesSchemaWithItsSeventyMigrationsAndRowLevelSecurity() {
        assertEquals(70L, Fixtures.count(database.jdbi(), "SELECT count(*) FROM auth.schema_migrations"));
        assertEquals(1L, Fixtures.count(database.jdbi(), "SELECT count(*) FROM auth.schema_migrations WHERE version = '20251007112900'"));
        assertEquals(0L, Fixtures.count(database.jdbi(), """
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'auth' AND c.relname IN ('sessions', 'refresh_tokens', 'users', 'mfa_amr_claims')
                   AND NOT (c.relrowsecurity AND pg_get_userbyid(c.relowner) = 'supabase_auth_admin')"""));
    }

    @Test
    void goTruesSessionsTableIsTheOneTheSeedDescribesAsTheStandaloneMigrationIs() throws Exception {
        try (Connection connection = database.openConnection()) {
            List<String> differences = TableShape.differences(TableShape.fromMarkdown(SeedDocument.text()),
                    TableShape.fromCatalog(connection, "auth", "sessions"));
            // The fixture was dumped without comments: the four comments are all that may differ.
            assertEquals(4, differences.size(), differences.toString());
            assertEquals(List.of(), differences.stream().filter(d -> !d.startsWith("table comment:")
                    && !d.matches("column \\w+ comment: .*")).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "ALTER TABLE auth.sessions SET (fillfactor = 80)",
            "ALTER TABLE auth.sessions ADD COLUMN x int",
            "ALTER TABLE auth.sessions ALTER COLUMN tag SET DEFAULT 'web'",
            "ALTER TABLE auth.sessions ALTER COLUMN tag SET STATISTICS 500",
            "ALTER TABLE auth.sessions DROP CONSTRAINT sessions_scopes_length",
            "CREATE INDEX sessions_tag_idx ON auth.sessions (tag)",
            "ALTER INDEX auth.sessions_user_id_idx SET (fillfactor = 70)",
            "ALTER TABLE auth.sessions DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE auth.sessions FORCE ROW LEVEL SECURITY",
            "CREATE POLICY everyone ON auth.sessions USING (true)",
            "CREATE FUNCTION auth.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "CREATE FUNCTION auth.t() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; "
                    + "CREATE TRIGGER t BEFORE UPDATE ON auth.sessions FOR EACH ROW EXECUTE FUNCTION auth.t()",
            "CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULL::uuid $$",
            "ALTER TABLE auth.sessions OWNER TO postgres",
            "GRANT SELECT ON auth.sessions TO anon",
            "GRANT CREATE ON SCHEMA auth TO anon",
            "ALTER TYPE auth.aal_level ADD VALUE 'aal4'",
            "CREATE TABLE auth.flyway_schema_history (installed_rank int PRIMARY KEY)",
            "COMMENT ON COLUMN auth.sessions.tag IS 'a tag'",
            "ALTER SEQUENCE auth.refresh_tokens_id_seq INCREMENT BY 2",
            "CREATE VIEW auth.v AS SELECT id FROM auth.sessions",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA auth GRANT SELECT ON TABLES TO anon"})
    void everyChangeToTheSchemaChangesTheFingerprint(String change) throws Exception {
        try (Connection connection = database.openConnection()) {
            List<String> before = CatalogFingerprint.of(connection, "auth");
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute(change);
            }
            List<String> changed = CatalogFingerprint.of(connection, "auth");
            connection.rollback();
            assertNotEquals(before, changed, change + " shows in the fingerprint");
            assertEquals(before, CatalogFingerprint.of(connection, "auth"), "rolled back: the fingerprint is as before");
        }
    }

    @Test
    void rowsAreNotPartOfTheFingerprint() throws Exception {
        try (Connection connection = database.openConnection()) {
            List<String> before = CatalogFingerprint.of(connection, "auth");
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO auth.schema_migrations VALUES ('20990101000000')");
            }
            assertEquals(before, CatalogFingerprint.of(connection, "auth"));
            connection.rollback();
        }
    }
}
