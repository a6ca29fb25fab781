package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.domain.RefreshToken;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under a refresh load and comes back: every request is answered, failures are
 * 503, refreshing resumes by itself, and no client is left holding a token its session cannot refresh.
 */
class DatabaseOutageEndToEndTest {
    private static final int CLIENTS = 4;
    /** Upper bounds, so that the load always ends; the test does not measure time. */
    private static final long MAX_REQUESTS_PER_CLIENT = 2_000;
    private static final long MAX_RUN_MILLIS = 90_000;

    /** One client refreshing its own session serially, always with the latest token it received. */
    private static final class Client {
        final UUID session;
        volatile String latest;
        final List<Integer> statuses = new ArrayList<>();
        int successesAfterRecovery;

        Client(UUID session, String token) {
            this.session = session;
            this.latest = token;
        }
    }

    @Test
    void refreshesFailWith503WhileTheDatabaseIsAwayAndResumeWhenItReturns() throws Exception {
        try (TestDatabase database = TestDatabases.fresh();
                RunningService service = RunningService.start(database, Clock.systemUTC(),
                        Map.of("AUTH_SESSIONS_DB_POOL_SIZE", "4"))) {
            Api api = service.api;
            Rows rows = new Rows(database);
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                JsonNode started = api.startSession(api.createUser());
                clients.add(new Client(UUID.fromString(started.path("session").path("id").asText()),
                        started.path("refresh_token").asText()));
            }

            AtomicBoolean databaseAway = new AtomicBoolean(false);
            AtomicBoolean recovered = new AtomicBoolean(false);
            CountDownLatch sawOutage = new CountDownLatch(CLIENTS);
            CountDownLatch warmedUp = new CountDownLatch(CLIENTS);
            Map<Integer, String> unexpected = new ConcurrentHashMap<>();
            long deadline = System.currentTimeMillis() + MAX_RUN_MILLIS;
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (Client client : clients) {
                running.add(pool.submit(() -> {
                    boolean countedWarm = false;
                    boolean countedOutage = false;
                    for (long n = 0; n < MAX_REQUESTS_PER_CLIENT && System.currentTimeMillis() < deadline; n++) {
                        Api.Reply reply = api.refresh(client.latest);
                        synchronized (client) {
                            client.statuses.add(reply.status());
                        }
                        if (reply.status() == 200) {
                            client.latest = reply.json().path("refresh_token").asText();
                            if (!countedWarm) {
                                warmedUp.countDown();
                                countedWarm = true;
                            }
                            if (recovered.get() && ++client.successesAfterRecovery >= 5) {
                                return null;
                            }
                        } else if (reply.status() == 503) {
                            assertFalse(reply.raw().contains("Exception") || reply.raw().contains("\tat "), reply.raw());
                            String code = reply.errorCode();
                            if (!"service_unavailable".equals(code) && !"request_timeout".equals(code)) {
                                unexpected.put(reply.status(), reply.raw());
                            }
                            if (databaseAway.get() && !countedOutage) {
                                sawOutage.countDown();
                                countedOutage = true;
                            }
                        } else {
                            unexpected.put(reply.status(), reply.raw());
                        }
                    }
                    return null;
                }));
            }

            assertTrue(warmedUp.await(30, TimeUnit.SECONDS), "every client refreshed before the outage");
            databaseAway.set(true);
            database.refuseConnections();
            assertTrue(sawOutage.await(30, TimeUnit.SECONDS), "every client was answered 503 while the database was away");
            database.acceptConnections();
            databaseAway.set(false);
            recovered.set(true);

            pool.shutdown();
            for (Future<?> client : running) {
                client.get(MAX_RUN_MILLIS, TimeUnit.MILLISECONDS);
            }
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));

            assertEquals(Map.of(), unexpected, "only 200 and 503 answers");
            for (Client client : clients) {
                assertTrue(client.statuses.contains(503), "client saw the outage: " + client.statuses);
                assertTrue(client.successesAfterRecovery >= 5, "client refreshed again after the outage: " + client.statuses);
                // The last token each client holds still refreshes, and the stored counter is the one it leads to.
                Api.Reply last = api.refresh(client.latest);
                assertEquals(200, last.status(), last.raw());
                String next = last.json().path("refresh_token").asText();
                assertEquals(RefreshToken.parse(next).counter(), rows.counterOf(client.session).orElseThrow());
                assertEquals(200, api.refresh(next).status());
            }
            assertEquals(200, api.send("GET", "/ready", null, null, Map.of()).status());
        }
    }
}
