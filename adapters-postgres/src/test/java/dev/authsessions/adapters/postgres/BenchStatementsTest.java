package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code bench/sql/service-statements.sql} measures the database's ceiling for refreshes with the
 * service's own statements (BENCHMARKS.md); it must stay the statements this repository sends.
 */
class BenchStatementsTest {
    private static final Path SCRIPT = Path.of("..", "bench", "sql", "service-statements.sql");

    /** The script's SQL without comments and pgbench meta-commands, whitespace collapsed, split at semicolons. */
    private static String[] statements() throws IOException {
        String sql = Files.readAllLines(SCRIPT).stream()
                .filter(line -> !line.startsWith("--") && !line.startsWith("\\"))
                .collect(Collectors.joining(" "));
        return Arrays.stream(sql.split(";")).map(BenchStatementsTest::normalized).filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }

    private static String normalized(String sql) {
        return sql.replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").trim();
    }

    @Test
    void theBenchReadsWhatARefreshReads() throws IOException {
        String[] statements = statements();
        assertEquals(2, statements.length, "a read and an update");
        assertEquals(normalized(JdbiSessionRepository.LOAD_FOR_REFRESH).replace(":id", "md5('s' || :i)::uuid"),
                statements[0]);
    }

    @Test
    void theBenchUpdateReturnsWhatTheCompareAndSetReturns() throws IOException {
        String update = statements()[1];
        assertTrue(update.startsWith("UPDATE auth.sessions SET refresh_token_counter = "), update);
        assertTrue(update.endsWith("RETURNING " + normalized(SessionRow.RETURNING_COLUMNS)), update);
    }
}
