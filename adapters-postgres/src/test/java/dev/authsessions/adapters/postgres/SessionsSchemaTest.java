package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.params.provider.CsvSource;

/** The migrated {@code auth.sessions} is exactly the table that the seed document describes. */
class SessionsSchemaTest {
    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void committedCopyIsByteIdenticalToTheSharedSeedOrIsTheDocumentUsed() throws Exception {
        Optional<Path> shared = SeedDocument.shared();
        if (shared.isPresent()) {
            assertArrayEquals(Files.readAllBytes(shared.get()), SeedDocument.committedCopy(),
                    "adapters-postgres/src/test/resources" + SeedDocument.COPY_RESOURCE + " differs from " + shared.get());
        } else {
            assertEquals(new String(SeedDocument.committedCopy(), StandardCharsets.UTF_8), SeedDocument.text());
        }
    }

    @Test
    void theSeedDocumentIsReadInFull() {
        TableShape seed = TableShape.fromMarkdown(SeedDocument.text());
        assertEquals(15, seed.columns().size(), "columns parsed from the seed");
        assertEquals(4, seed.constraints().size(), "constraints parsed from the seed");
        assertEquals(5, seed.indexes().size(), "indexes parsed from the seed");
        assertEquals(3, seed.columns().stream().filter(c -> c.comment() != null).count(), "column comments");
        assertNotNull(seed.comment(), "table description");
    }

    @Test
    void theMigratedTableMatchesTheSeed() throws Exception {
        TableShape seed = TableShape.fromMarkdown(SeedDocument.text());
        try (Connection connection = database.openConnection()) {
            List<String> differences = TableShape.differences(seed, TableShape.fromCatalog(connection, "auth", "sessions"));
            assertEquals(List.of(), differences);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ALTER TABLE auth.sessions ADD COLUMN x int                                         | extra column x
            ALTER TABLE auth.sessions DROP COLUMN tag                                          | missing column tag
            ALTER TABLE auth.sessions ALTER COLUMN tag TYPE varchar(10)                        | column tag type
            ALTER TABLE auth.sessions ALTER COLUMN tag SET NOT NULL                            | column tag nullable
            ALTER TABLE auth.sessions ALTER COLUMN refresh_token_counter SET DEFAULT 0         | column refresh_token_counter default
            COMMENT ON COLUMN auth.sessions.refresh_token_counter IS 'counter'                 | column refresh_token_counter comment
            COMMENT ON COLUMN auth.sessions.tag IS 'a tag'                                     | column tag comment
            COMMENT ON TABLE auth.sessions IS 'sessions'                                       | table comment
            DROP INDEX auth.sessions_not_after_idx                                             | missing index sessions_not_after_idx
            CREATE INDEX sessions_tag_idx ON auth.sessions (tag)                               | extra index sessions_tag_idx
            DROP INDEX auth.sessions_user_id_idx; CREATE INDEX sessions_user_id_idx ON auth.sessions (user_id, id) | index sessions_user_id_idx
            ALTER TABLE auth.sessions DROP CONSTRAINT sessions_scopes_length                   | missing constraint sessions_scopes_length
            ALTER TABLE auth.sessions DROP CONSTRAINT sessions_scopes_length, ADD CONSTRAINT sessions_scopes_length CHECK (char_length(scopes) <= 4095) | constraint sessions_scopes_length
            ALTER TABLE auth.sessions ADD CONSTRAINT sessions_tag_unique UNIQUE (tag)          | extra constraint sessions_tag_unique
            ALTER TABLE auth.sessions DROP CONSTRAINT sessions_user_id_fkey, ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) | constraint sessions_user_id_fkey
            """)
    void everyDriftIsReported(String drift, String expectedReport) throws Exception {
        TableShape seed = TableShape.fromMarkdown(SeedDocument.text());
        try (Connection connection = database.openConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : drift.split(";")) {
                    statement.execute(sql);
                }
            }
            List<String> differences = TableShape.differences(seed, TableShape.fromCatalog(connection, "auth", "sessions"));
            assertTrue(differences.stream().anyMatch(d -> d.startsWith(expectedReport)),
                    "expected a difference starting with '" + expectedReport + "', got " + differences);
            connection.rollback();
            // The drift was in a transaction only: the table matches again.
            assertEquals(List.of(), TableShape.differences(seed, TableShape.fromCatalog(connection, "auth", "sessions")));
        }
    }
}
