package dev.authsessions.bootstrap.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Refresh under concurrency, over real HTTP and real PostgreSQL, with every invariant checked in the
 * database afterwards: one token refreshed by many clients at once, many clients each on their own
 * session, two instances on one database, logout racing refresh, and step-up racing refresh. The
 * clock stands still, so every reuse falls inside the reuse interval: the most permissive case, and
 * the one in which a pre-step-up token would slip through if anything could.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConcurrentRefreshTest {
    private static final long SEED = Long.getLong("reliability.seed", 6_0106L);
    private static final int CLIENTS = 50;
    /** A 409 is an allowed answer under contention; the client then retries with the same token. */
    private static final int MAX_CONFLICTS_PER_CLIENT = 20;

    private static TestDatabase database;
    private static InProcessService first;
    private static InProcessService second;
    private static Client api;
    private static AuthTables tables;

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh();
        MutableClock clock = new MutableClock();
        first = InProcessService.start(database, clock);
        second = InProcessService.start(database, clock);
        api = first.client();
        tables = new AuthTables(database);
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static String seeded(String message) {
        return message + " [seed " + SEED + "; rerun with -Dreliability.seed=" + SEED + "]";
    }

    // (a)

    @Test
    void fiftyClientsRefreshingOneTokenAllSucceedWithOneNewTokenAndTheCounterRisesByOne() throws Exception {
        oneTokenStorm(List.of(api));
    }

    // (b)

    @Test
    void fiftyClientsEachHammeringTheirOwnSessionSeeStrictlySequentialChains() throws Exception {
        ownSessionStorm(List.of(api), CLIENTS, 20);
    }

    // (c)

    @Test
    void clientsAlternatingBetweenTwoInstancesOnOneDatabaseKeepEveryInvariant() throws Exception {
        List<Client> both = List.of(first.client(), second.client());
        oneTokenStorm(both);
        ownSessionStorm(both, CLIENTS, 10);
    }

    /** Every client sends the same token at once (to the instances in turn): all 200, one new token, counter +1. */
    private static void oneTokenStorm(List<Client> instances) throws Exception {
        Client.Grant grant = api.startSession(api.createUser());
        AtomicInteger turn = new AtomicInteger();
        List<Client.Reply> replies = Concurrently.run(CLIENTS,
                () -> instances.get(turn.getAndIncrement() % instances.size()).refresh(grant.refreshToken()));

        Set<String> issued = new HashSet<>();
        for (Client.Reply reply : replies) {
            assertEquals(200, reply.status(), reply::toString);
            assertEquals(1L, reply.counter(), reply::toString);
            assertEquals(grant.sessionId().toString(), reply.header("sb-auth-session-id"));
            issued.add(reply.refreshToken());
        }
        assertEquals(1, issued.size(), "every client gets the same new token");
        String next = issued.iterator().next();
        assertNotEquals(grant.refreshToken(), next);
        assertEquals(1, replies.stream().filter(r -> !r.reused()).count(), "exactly one request rotated");
        assertEquals(1L, tables.counterOfExisting(grant.sessionId()), "the counter rose by exactly one");

        Client.Reply after = instances.get(instances.size() - 1).refresh(next);
        assertEquals(200, after.status(), after::toString);
        assertFalse(after.reused());
        assertEquals(2L, tables.counterOfExisting(grant.sessionId()));
    }

    /** What one client of {@link #ownSessionStorm} ended with. */
    private record Chain(int client, UUID session, String lastToken, long rotations, int conflicts) {
    }

    /**
     * Each client refreshes its own session {@code rounds} times, one request after the other, sending
     * request {@code i} to instance {@code (client + i) % instances}: every answer rotates and carries the
     * next counter and a never-seen token; afterwards the database counter equals the rotations and the
     * last token still refreshes.
     */
    private static void ownSessionStorm(List<Client> instances, int clients, int rounds) throws Exception {
        List<Client.Grant> grants = Concurrently.run(clients, () -> api.startSession(api.createUser()));
        List<Callable<Chain>> calls = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Client.Grant grant = grants.get(c);
            calls.add(() -> {
                String token = grant.refreshToken();
                Set<String> seen = new HashSet<>(List.of(token));
                long counter = 0;
                int conflicts = 0;
                int sent = 0;
                while (counter < rounds) {
                    Client.Reply reply = instances.get((client + sent++) % instances.size()).refresh(token);
                    if (reply.status() == 409 && conflicts < MAX_CONFLICTS_PER_CLIENT) {
                        conflicts++;
                        continue;
                    }
                    long expected = counter + 1;
                    assertEquals(200, reply.status(), () -> "client " + client + ", rotation " + expected + ": " + reply);
                    assertFalse(reply.reused(), () -> "client " + client + " is alone on its session, yet: " + reply.headers());
                    assertEquals(expected, reply.counter(), () -> "client " + client + ": the chain is strictly sequential");
                    assertEquals(grant.sessionId().toString(), reply.header("sb-auth-session-id"));
                    token = reply.refreshToken();
                    assertTrue(seen.add(token), () -> "client " + client + ": a rotation issued a token seen before");
                    counter = expected;
                }
                return new Chain(client, grant.sessionId(), token, counter, conflicts);
            });
        }
        List<Chain> chains = Concurrently.run(calls);

        for (Chain chain : chains) {
            assertEquals(chain.rotations(), tables.counterOfExisting(chain.session()),
                    () -> "client " + chain.client() + ": the counter equals its successful rotations");
        }
        for (Chain chain : chains) {
            Client.Reply last = instances.get(chain.client() % instances.size()).refresh(chain.lastToken());
            assertEquals(200, last.status(), () -> "client " + chain.client() + "'s last token refreshes: " + last);
            assertFalse(last.reused());
            assertEquals(chain.rotations() + 1, last.counter());
            assertEquals(chain.rotations() + 1, tables.counterOfExisting(chain.session()));
        }
    }

    // (d)

    @Test
    void logoutRacingRefreshesLeavesTheSessionGoneAndNoIssuedTokenRefreshable() throws Exception {
        Random random = new Random(SEED);
        for (int round = 0; round < 12; round++) {
            logoutRace(round, 1 + random.nextInt(8));
        }
    }

    private static void logoutRace(int round, int refreshesBeforeLogout) throws Exception {
        Client.Grant grant = api.startSession(api.createUser());
        Set<String> issued = ConcurrentHashMap.newKeySet();
        issued.add(grant.refreshToken());
        CountDownLatch someRefreshed = new CountDownLatch(refreshesBeforeLogout);
        List<Callable<Void>> calls = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            calls.add(() -> {
                String token = grant.refreshToken();
                for (int i = 0; i < 25; i++) {
                    Client.Reply reply = api.refresh(token);
                    if (reply.status() == 200) {
                        token = reply.refreshToken();
                        issued.add(token);
                        someRefreshed.countDown();
                    } else if (reply.status() != 409) {
                        assertEquals(400, reply.status(), () -> seeded("round " + round + ": " + reply));
                        assertEquals("refresh_token_not_found", reply.errorCode(), () -> seeded("round " + round + ": " + reply));
                        break;
                    }
                }
                return null;
            });
        }
        calls.add(() -> {
            someRefreshed.await(20, TimeUnit.SECONDS);
            Client.Reply logout = api.logout(grant.accessToken(), "local");
            assertEquals(204, logout.status(), () -> seeded("round " + round + ": logout " + logout));
            return null;
        });
        Concurrently.run(calls);

        assertFalse(tables.sessionExists(grant.sessionId()), seeded("round " + round + ": the session row is gone"));
        for (String token : issued) {
            Client.Reply reply = api.refresh(token);
            assertEquals(400, reply.status(), () -> seeded("round " + round + ": a token of a signed-out session refreshed: " + reply));
            assertEquals("refresh_token_not_found", reply.errorCode(), reply::toString);
        }
        Client.Reply user = api.user(grant.accessToken());
        assertEquals(403, user.status(), user::toString);
        assertEquals("session_not_found", user.errorCode());
        assertFalse(tables.sessionExists(grant.sessionId()), "refreshing never brings a session back");
    }

    // (e)

    /** One 200 answer seen by a refreshing client: the epoch (aal) of the token sent and of the token received. */
    private record Observation(int thread, int seq, String sentAal, String receivedAal, long counter, boolean reused, String token) {
    }

    @Test
    void stepUpRacingRefreshesOpensAnEpochNoEarlierTokenReachesAndNoCounterGoesBack() throws Exception {
        Random random = new Random(SEED);
        for (int round = 0; round < 6; round++) {
            stepUpRace(round, 1 + random.nextInt(15));
        }
    }

    private static void stepUpRace(int round, int refreshesBeforeStepUp) throws Exception {
        String where = "round " + round + " (step-up after " + refreshesBeforeStepUp + " refreshes)";
        Client.Grant grant = api.startSession(api.createUser());
        UUID factor = UUID.randomUUID();
        CountDownLatch someRefreshed = new CountDownLatch(refreshesBeforeStepUp);
        CompletableFuture<Client.Reply> stepUp = new CompletableFuture<>();
        Queue<Observation> observations = new ConcurrentLinkedQueue<>();
        List<Callable<Void>> calls = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int thread = t;
            calls.add(() -> {
                String token = grant.refreshToken();
                String epoch = "aal1";
                int inNewEpoch = 0;
                for (int seq = 0; seq < 200 && (seq < 20 || inNewEpoch < 5); seq++) {
                    Client.Reply reply = api.refresh(token);
                    if (reply.status() == 200) {
                        Observation seen = new Observation(thread, seq, epoch, reply.aal(), reply.counter(), reply.reused(),
                                reply.refreshToken());
                        observations.add(seen);
                        token = seen.token();
                        epoch = seen.receivedAal();
                        if (epoch.equals("aal2")) {
                            inNewEpoch++;
                        }
                        someRefreshed.countDown();
                    } else if (reply.status() != 409) {
                        String sentEpoch = epoch;
                        assertEquals("refresh_token_not_found", reply.errorCode(), () -> seeded(where + ": " + reply));
                        assertEquals("aal1", sentEpoch, () -> seeded(where + ": a token of the stepped-up session stopped working: " + reply));
                        // The step-up retired this token; carry on from the newest token of the new epoch.
                        Client.Reply stepped = stepUp.get(30, TimeUnit.SECONDS);
                        Observation newest = newestOfNewEpoch(observations, stepped);
                        token = newest.token();
                        epoch = "aal2";
                    }
                }
                return null;
            });
        }
        calls.add(() -> {
            someRefreshed.await(30, TimeUnit.SECONDS);
            Client.Reply reply = api.stepUp(grant.sessionId(), factor, "totp");
            stepUp.complete(reply);
            assertEquals(200, reply.status(), () -> seeded(where + ": step-up " + reply));
            return null;
        });
        Concurrently.run(calls);

        Client.Reply stepped = stepUp.get();
        assertEquals("aal2", stepped.aal());
        long stepUpCounter = stepped.counter();
        List<Observation> seen = new ArrayList<>(observations);

        for (Observation o : seen) {
            assertEquals(o.sentAal(), o.receivedAal(), () -> seeded(where + ": a token of one epoch was exchanged for one of another: " + o));
        }
        Map<Integer, List<Observation>> byThread = seen.stream().collect(Collectors.groupingBy(Observation::thread));
        for (List<Observation> ofThread : byThread.values()) {
            ofThread.sort(Comparator.comparingInt(Observation::seq));
            Map<String, Long> last = new HashMap<>();
            for (Observation o : ofThread) {
                long previous = last.getOrDefault(o.receivedAal(), -1L);
                assertTrue(o.counter() >= previous, () -> seeded(where + ": the counter went backwards within an epoch: "
                        + previous + " then " + o));
                last.put(o.receivedAal(), o.counter());
            }
        }
        List<Long> rotatedBefore = rotatedCounters(seen, "aal1");
        List<Long> rotatedAfter = rotatedCounters(seen, "aal2");
        assertEquals(LongStream.rangeClosed(1, rotatedBefore.size()).boxed().toList(), rotatedBefore,
                seeded(where + ": rotations before the step-up issue 1, 2, 3, ... each once"));
        assertEquals(rotatedBefore.size() + 2L, stepUpCounter, seeded(where + ": the step-up adds 2 to the last rotation"));
        assertEquals(LongStream.rangeClosed(stepUpCounter + 1, stepUpCounter + rotatedAfter.size()).boxed().toList(), rotatedAfter,
                seeded(where + ": rotations after the step-up continue from its counter, each once"));
        for (Observation o : seen) {
            if (o.receivedAal().equals("aal1")) {
                assertTrue(o.counter() <= rotatedBefore.size(), () -> where + ": " + o);
            } else {
                assertTrue(o.counter() >= stepUpCounter, () -> where + ": " + o);
            }
        }

        long stored = tables.counterOfExisting(grant.sessionId());
        assertEquals(stepUpCounter + rotatedAfter.size(), stored, seeded(where + ": the database counter is the last one issued"));
        assertEquals("aal2", tables.aalOf(grant.sessionId()));
        assertTrue(tables.amrMethodsOf(grant.sessionId()).contains("totp"));

        Set<String> beforeStepUp = new LinkedHashSet<>();
        beforeStepUp.add(grant.refreshToken());
        seen.stream().filter(o -> o.receivedAal().equals("aal1")).forEach(o -> beforeStepUp.add(o.token()));
        for (String token : beforeStepUp) {
            Client.Reply reply = api.refresh(token);
            assertEquals(400, reply.status(), () -> seeded(where + ": a token from before the step-up refreshed: " + reply));
            assertEquals("refresh_token_not_found", reply.errorCode());
        }
        assertEquals(stored, tables.counterOfExisting(grant.sessionId()), "refused pre-step-up tokens change nothing");

        Observation newest = newestOfNewEpoch(seen, stepped);
        assertEquals(stored, newest.counter());
        Client.Reply next = api.refresh(newest.token());
        assertEquals(200, next.status(), () -> seeded(where + ": the newest token of the new epoch refreshes: " + next));
        assertFalse(next.reused());
        assertEquals("aal2", next.aal());
        assertEquals(stored + 1, next.counter());
        assertEquals(stored + 1, tables.counterOfExisting(grant.sessionId()));
    }

    private static List<Long> rotatedCounters(List<Observation> seen, String aal) {
        return seen.stream().filter(o -> !o.reused() && o.receivedAal().equals(aal)).map(Observation::counter).sorted().toList();
    }

    /** The token with the highest counter of the stepped-up session seen so far (the step-up's own, at least). */
    private static Observation newestOfNewEpoch(Iterable<Observation> observations, Client.Reply stepped) {
        Observation newest = new Observation(-1, -1, "aal2", "aal2", stepped.counter(), false, stepped.refreshToken());
        for (Observation o : observations) {
            if (o.receivedAal().equals("aal2") && o.counter() > newest.counter()) {
                newest = o;
            }
        }
        return newest;
    }
}
