package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A start of {@link EmbeddedPostgresServer} on a data directory whose {@code postmaster.pid} is left over: by a
 * JVM killed with SIGKILL while its server ran on, by a process long dead, or naming a PID now used by another
 * process. Each test runs on a copy of one cluster made once (initdb costs seconds).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeftoverPostmasterTest {
    @TempDir
    static Path clusterDir;
    /** The pid file of a real server of {@link #clusterDir}, for tests that forge one naming another PID. */
    private static List<String> realPidFile;

    @TempDir
    Path dataDir;

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.authsessions.adapters.postgres.LeftoverPostmaster");
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<Process> spawned = new ArrayList<>();

    @BeforeAll
    static void createCluster() throws IOException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(clusterDir)) {
            realPidFile = Files.readAllLines(server.dataDirectory().resolve("postmaster.pid"), StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void copyClusterAndCaptureLog() throws IOException {
        Path from = clusterDir.resolve("pgdata");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, pgdata().resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        assertFalse(Files.exists(pidFile()), "a stopped server removes its pid file");
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void cleanUp() {
        logger.detachAppender(log);
        spawned.forEach(Process::destroyForcibly);
    }

    @Test
    void aServerLeftRunningByAKilledJvmIsStoppedAndTheFirstStartAfterTheCrashComesUp() throws Exception {
        Process owner = spawn(List.of(java(), "-Xmx64m", "-cp", testClassPath(), EmbeddedServerMain.class.getName(),
                dataDir.toString()));
        int ownersPort = awaitReady(owner);
        execute(ownersPort, "CREATE TABLE IF NOT EXISTS crash_marker (note text); INSERT INTO crash_marker VALUES ('before the crash')");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EmbeddedPostgresServer.start(dataDir));
        assertTrue(refused.getMessage().contains("is in use by another running process"), refused.getMessage());
        assertEquals(1, count(ownersPort, "SELECT count(*) FROM crash_marker"), "the live owner's server was left alone");

        owner.destroyForcibly();
        assertTrue(owner.waitFor(30, TimeUnit.SECONDS));
        long postmaster = Long.parseLong(Files.readAllLines(pidFile()).get(0).strip());
        try {
            assertTrue(ProcessLiveness.isRunning(postmaster), "the server outlives its SIGKILLed JVM: the case under test");

            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {
                assertFalse(ProcessLiveness.isRunning(postmaster), "the leftover server was stopped");
                assertEquals(1, count(server.port(), "SELECT count(*) FROM crash_marker WHERE note = 'before the crash'"));
            }
            assertEquals(List.of("a PostgreSQL server left running on " + pgdata() + " by an earlier process was found and stopped (PID "
                    + postmaster + ")"), warnings().stream().map(line -> line.replaceAll(", \\d+ ms\\)$", ")")).toList());
        } finally {
            if (ProcessLiveness.isRunning(postmaster)) {
                ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroy);
                for (int i = 0; i < 600 && ProcessLiveness.isRunning(postmaster); i++) {
                    Thread.sleep(100);
                }
            }
        }
    }

    @Test
    void aPidFileNamingADeadProcessDoesNotHoldUpTheStart() throws Exception {
        Process gone = spawn(List.of("true"));
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        forgePidFile(gone.pid());

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {
            assertEquals(1, count(server.port(), "SELECT 1"));
        }
        assertEquals(List.of(), warnings());
    }

    @Test
    void aPidFileNamingALiveUnrelatedProcessLeavesThatProcessRunningAndTheStartComesUp() throws Exception {
        Process unrelated = spawn(List.of("sleep", "120"));
        forgePidFile(unrelated.pid());

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {
            assertEquals(1, count(server.port(), "SELECT 1"));
            assertTrue(unrelated.isAlive(), "a process whose PID the pid file names by chance is never stopped");
        }
        assertEquals(List.of(pidFile() + " named PID " + unrelated.pid() + ", a running process that is no PostgreSQL server"
                + " of this data directory (the PID was reused), which was left alone; the stale file was removed"), warnings());
    }

    @Test
    void aPidFileNamingAZombieDoesNotHoldUpTheStart() throws Exception {
        // The shell's background child exits after the shell has become sleep, which never reaps it.
        Process parent = spawn(List.of("sh", "-c", "sleep 0.2 & echo $!; exec sleep 120"));
        long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))
                .readLine().strip());
        for (int i = 0; i < 500 && !ProcessLiveness.isZombie(zombie); i++) {
            Thread.sleep(10);
        }
        assertTrue(ProcessLiveness.isZombie(zombie), "the case under test: a pid file naming a process that exited, unreaped");
        forgePidFile(zombie);

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {
            assertEquals(1, count(server.port(), "SELECT 1"));
        }
        assertEquals(List.of(pidFile() + " named PID " + zombie + ", a process that has exited but was not yet reaped by its"
                + " parent; the stale file was removed"), warnings());
    }

    @Test
    void aPidFileNamingAServerOfAnotherDataDirectoryLeavesThatServerRunning() throws Exception {
        try (EmbeddedPostgresServer other = EmbeddedPostgresServer.start(clusterDir)) {
            long othersPostmaster = Long.parseLong(Files.readAllLines(other.dataDirectory().resolve("postmaster.pid")).get(0).strip());
            forgePidFile(othersPostmaster);

            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir)) {
                assertEquals(1, count(server.port(), "SELECT 1"));
            }
            assertTrue(ProcessLiveness.isRunning(othersPostmaster));
            assertEquals(1, count(other.port(), "SELECT 1"), "the other directory's server still answers");
            assertEquals(1, warnings().size(), warnings()::toString);
        }
    }

    @Test
    void aSecondStartOnADataDirectoryInUseInThisProcessIsRefusedAndTheRunningServerKeepsRunning() throws Exception {
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EmbeddedPostgresServer.start(dataDir));
            assertEquals("the data directory " + dataDir.toAbsolutePath() + " is in use by another running process (it holds "
                    + dataDir.toAbsolutePath().resolve("embedded-postgres.lock") + "); give each process a data directory of its own",
                    refused.getMessage());
            assertEquals(1, count(first.port(), "SELECT 1"));
        }
        assertEquals(List.of(), warnings());
    }

    private Path pgdata() {
        return dataDir.toAbsolutePath().resolve("pgdata");
    }

    private Path pidFile() {
        return pgdata().resolve("postmaster.pid");
    }

    /** The pid file a crash of a server of {@link #dataDir} would leave, naming {@code pid} instead. */
    private void forgePidFile(long pid) throws IOException {
        List<String> lines = new ArrayList<>(realPidFile);
        lines.set(0, Long.toString(pid));
        lines.set(1, pgdata().toString());
        Files.write(pidFile(), lines, StandardCharsets.UTF_8);
    }

    private List<String> warnings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private Process spawn(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        spawned.add(process);
        return process;
    }

    /** The port the child prints once its server answers; fails if the child exits first. */
    private static int awaitReady(Process child) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith("ready ")) {
                return Integer.parseInt(line.substring("ready ".length()).strip());
            }
            seen.add(line);
        }
        throw new AssertionError("the server process exited before it was ready:\n" + String.join("\n", seen));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + EmbeddedPostgresServer.DATABASE,
                EmbeddedPostgresServer.USER, "");
    }

    private static void execute(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next());
            return rows.getLong(1);
        }
    }
}
