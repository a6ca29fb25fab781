package dev.authsessions.bootstrap.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.adapters.postgres.ProcessLiveness;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as its own OS process, killed with SIGKILL in the middle of a refresh storm and started
 * again on the same database: every client continues from the last token it received. A refresh whose
 * answer was lost in the crash was either never committed (the last token rotates normally) or
 * committed (the last token is one behind: an allowed "fail-to-save" reuse); nothing in between.
 * The process's output goes to {@code target/reliability/crash-recovery-service.log}.
 *
 * <p>Without a database URL the service runs its own PostgreSQL, which outlives a SIGKILLed JVM and holds the
 * data directory: the first start after that crash must still come up, on the same data. That process's output
 * goes to {@code target/reliability/crash-recovery-embedded-service.log}.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CrashRecoveryTest {
    private static final int CLIENTS = 16;
    private static final int REFRESHES_BEFORE_KILL = 400;
    private static final String APPLICATION_NAME = "auth_sessions_crash_test";
    private static final Path OUTPUT = Path.of(System.getProperty("basedir", "."), "target", "reliability", "crash-recovery-service.log");
    private static final Path EMBEDDED_OUTPUT =
            Path.of(System.getProperty("basedir", "."), "target", "reliability", "crash-recovery-embedded-service.log");

    private static TestDatabase database;
    private static AuthTables tables;
    private static final List<ServiceProcess> PROCESSES = new ArrayList<>();

    @BeforeAll
    static void start() throws java.io.IOException {
        java.nio.file.Files.deleteIfExists(OUTPUT);
        java.nio.file.Files.deleteIfExists(EMBEDDED_OUTPUT);
        database = TestDatabases.fresh();
        tables = new AuthTables(database);
    }

    @AfterAll
    static void stop() {
        try {
            PROCESSES.forEach(ServiceProcess::close);
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    private static ServiceProcess startProcess() {
        Map<String, String> env = InProcessService.environment(database, Map.of(
                "AUTH_SESSIONS_DATABASE_URL", database.databaseUrl() + "?application_name=" + APPLICATION_NAME,
                "AUTH_SESSIONS_CLEANUP_INTERVAL", "1h"));
        ServiceProcess process = ServiceProcess.start(env, OUTPUT);
        PROCESSES.add(process);
        return process;
    }

    /** What one storm client last received: the token it will continue from. */
    private static final class StormClient {
        final UUID session;
        volatile String lastToken;
        volatile long lastCounter;
        volatile int rotations;
        volatile String cutOffBy;

        StormClient(Client.Grant grant) {
            this.session = grant.sessionId();
            this.lastToken = grant.refreshToken();
        }
    }

    @Test
    void everyClientContinuesFromTheLastTokenItReceivedAfterTheServiceIsKilledMidStormAndRestarted() throws Exception {
        ServiceProcess first = startProcess();
        Client api = new Client(first.port(), InProcessService.ADMIN_KEY);
        List<StormClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new StormClient(api.startSession(api.createUser())));
        }

        CountDownLatch enough = new CountDownLatch(REFRESHES_BEFORE_KILL);
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> storm = new ArrayList<>();
        try {
            for (StormClient client : clients) {
                storm.add(pool.submit(() -> {
                    for (int i = 0; i < 100_000 && client.cutOffBy == null; i++) {
                        Client.Reply reply;
                        try {
                            reply = api.refresh(client.lastToken);
                        } catch (UncheckedIOException e) {
                            client.cutOffBy = e.getCause().toString();
                            assertTrue(killed.get(), () -> "a refresh failed before the crash: " + e);
                            break;
                        }
                        if (reply.status() == 409) {
                            continue;
                        }
                        assertEquals(200, reply.status(), reply::toString);
                        assertFalse(reply.reused(), reply::toString);
                        assertEquals(client.lastCounter + 1, reply.counter(), "each client's chain is strictly sequential");
                        client.lastToken = reply.refreshToken();
                        client.lastCounter = reply.counter();
                        client.rotations++;
                        enough.countDown();
                    }
                    return null;
                }));
            }
            assertTrue(enough.await(60, TimeUnit.SECONDS), "the storm reached " + REFRESHES_BEFORE_KILL + " refreshes");
            killed.set(true);
            first.kill();
            for (Future<?> client : storm) {
                client.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (StormClient client : clients) {
            assertTrue(client.cutOffBy != null, "every client was cut off by the crash");
        }

        awaitBackendsOfTheKilledProcessGone();
        int answersLost = 0;
        long[] stored = new long[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            StormClient client = clients.get(i);
            stored[i] = tables.counterOfExisting(client.session);
            long last = client.lastCounter;
            long now = stored[i];
            assertTrue(now == last || now == last + 1,
                    () -> "client on " + client.session + " last received counter " + last + ", the database holds " + now);
            if (now == last + 1) {
                answersLost++;
            }
        }

        ServiceProcess second = startProcess();
        Client after = new Client(second.port(), InProcessService.ADMIN_KEY);
        for (int i = 0; i < CLIENTS; i++) {
            StormClient client = clients.get(i);
            long last = client.lastCounter;
            boolean committedButLost = stored[i] == last + 1;
            Client.Reply resumed = after.refresh(client.lastToken);
            assertEquals(200, resumed.status(), () -> "the last received token still refreshes after the crash: " + resumed);
            assertEquals(last + 1, resumed.counter());
            if (committedButLost) {
                assertTrue(resumed.reused(), "the crash lost the answer to a committed rotation: the client gets it now");
                assertTrue(resumed.header("sb-auth-refresh-token-reuse-cause").contains("fail-to-save"), resumed.headers().toString());
            } else {
                assertFalse(resumed.reused(), resumed.headers().toString());
            }
            assertEquals(last + 1, tables.counterOfExisting(client.session), "the database counter is the last one issued");

            Client.Reply next = after.refresh(resumed.refreshToken());
            assertEquals(200, next.status(), next::toString);
            assertFalse(next.reused());
            assertEquals(last + 2, next.counter());
            assertEquals(last + 2, tables.counterOfExisting(client.session));
        }
        int total = clients.stream().mapToInt(c -> c.rotations).sum();
        System.out.println("CrashRecoveryTest: " + total + " refreshes answered before SIGKILL of pid " + first.pid() + "; "
                + answersLost + " of " + CLIENTS + " clients had a committed rotation whose answer the crash lost");
        second.close();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theFirstStartAfterTheServiceIsKilledComesUpAlthoughItsEmbeddedPostgresOutlivedTheKilledJvm(@TempDir Path dataDir)
            throws Exception {
        Map<String, String> env = InProcessService.environment(database, Map.of(
                "AUTH_SESSIONS_DATABASE_URL", "",
                "AUTH_SESSIONS_DATA_DIR", dataDir.toString(),
                "AUTH_SESSIONS_CLEANUP_INTERVAL", "1h"));
        Path pidFile = dataDir.resolve("pgdata").resolve("postmaster.pid");
        // The very first start also runs initdb and every migration: on a busy machine that takes a while.
        ServiceProcess first = ServiceProcess.start(env, EMBEDDED_OUTPUT, Duration.ofSeconds(150));
        Optional<ProcessHandle> leftover = Optional.empty();
        try {
            Client api = new Client(first.port(), InProcessService.ADMIN_KEY);
            List<Client.Reply> beforeTheCrash = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Client.Reply refreshed = api.refresh(api.startSession(api.createUser()).refreshToken());
                assertEquals(200, refreshed.status(), refreshed::toString);
                beforeTheCrash.add(refreshed);
            }
            long postmaster = Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).strip());

            first.kill();
            leftover = ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive);
            assertTrue(ProcessLiveness.isRunning(postmaster),
                    "the embedded PostgreSQL (PID " + postmaster + ") outlived its SIGKILLed JVM: the case under test");

            ServiceProcess second = ServiceProcess.start(env, EMBEDDED_OUTPUT, Duration.ofSeconds(60));
            try {
                assertFalse(ProcessLiveness.isRunning(postmaster), "the start stopped the server the killed JVM left running");
                assertTrue(java.nio.file.Files.readString(EMBEDDED_OUTPUT).contains(
                                " by an earlier process was found and stopped (PID " + postmaster + ", "),
                        "a WARN line names the stopped server:\n" + second.tail());
                Client after = new Client(second.port(), InProcessService.ADMIN_KEY);
                for (Client.Reply last : beforeTheCrash) {
                    Client.Reply resumed = after.refresh(last.refreshToken());
                    assertEquals(200, resumed.status(), () -> "a session from before the crash still refreshes: " + resumed);
                    assertFalse(resumed.reused(), resumed.headers().toString());
                    assertEquals(last.counter() + 1, resumed.counter());
                }
            } finally {
                second.stop();
            }
            assertFalse(java.nio.file.Files.exists(pidFile), "a service stopped with SIGTERM stops its embedded PostgreSQL");
        } finally {
            first.close();
            stopLeftover(leftover);
            stopLeftover(readPid(pidFile).flatMap(ProcessHandle::of));
        }
    }

    /** Keeps a failing run from leaving a server behind on a directory JUnit is about to delete. */
    private static void stopLeftover(Optional<ProcessHandle> server) {
        if (server.isPresent() && ProcessLiveness.isRunning(server.get().pid())) {
            server.get().destroy();
            for (int i = 0; i < 600 && ProcessLiveness.isRunning(server.get().pid()); i++) {
                sleep(100);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Long> readPid(Path pidFile) throws java.io.IOException {
        return java.nio.file.Files.exists(pidFile)
                ? Optional.of(Long.parseLong(java.nio.file.Files.readAllLines(pidFile).get(0).strip()))
                : Optional.empty();
    }

    /** A killed client's backends may still run a statement it sent just before dying; wait until they have all exited. */
    private static void awaitBackendsOfTheKilledProcessGone() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            int left = database.jdbi().withHandle(h -> h.createQuery(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name")
                    .bind("name", APPLICATION_NAME).mapTo(Integer.class).one());
            if (left == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the killed process's database sessions did not end within 30 s");
    }
}
