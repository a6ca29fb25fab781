package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two service instances sharing one database behave as one: rotation is atomic across them. */
class TwoInstancesEndToEndTest {
    private static TestDatabase database;
    private static MutableClock clock;
    private static RunningService first;
    private static RunningService second;
    private static Rows rows;

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh();
        clock = new MutableClock();
        first = RunningService.start(database, clock);
        second = RunningService.start(database, clock);
        rows = new Rows(database);
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        database.close();
    }

    @Test
    void fiftyConcurrentRefreshesSplitAcrossTwoInstancesRotateOnce() throws Exception {
        UUID user = first.api.createUser();
        JsonNode started = first.api.startSession(user);
        UUID session = UUID.fromString(started.path("session").path("id").asText());
        String token = started.path("refresh_token").asText();
        clock.advance(Duration.ofMinutes(1));

        AtomicInteger turn = new AtomicInteger();
        List<Api.Reply> replies = RefreshFlowEndToEndTest.concurrently(50,
                () -> (turn.getAndIncrement() % 2 == 0 ? first.api : second.api).refresh(token));

        Set<String> issued = new HashSet<>();
        for (Api.Reply reply : replies) {
            assertEquals(200, reply.status(), reply.raw());
            issued.add(reply.json().path("refresh_token").asText());
        }
        assertEquals(1, issued.size());
        assertNotEquals(token, issued.iterator().next());
        assertEquals(1L, rows.counterOf(session).orElseThrow());
    }

    @Test
    void aTokenRotatedOnOneInstanceIsReuseOnTheOther() {
        UUID user = first.api.createUser();
        JsonNode started = first.api.startSession(user);
        UUID session = UUID.fromString(started.path("session").path("id").asText());
        String t0 = started.path("refresh_token").asText();
        clock.advance(Duration.ofMinutes(1));
        String t1 = first.api.refresh(t0).json().path("refresh_token").asText();
        clock.advance(Duration.ofMinutes(1));
        String t2 = second.api.refresh(t1).json().path("refresh_token").asText();
        assertEquals(2L, rows.counterOf(session).orElseThrow());

        clock.advance(Duration.ofMinutes(1));
        Api.Reply reused = second.api.refresh(t0);
        assertEquals(400, reused.status(), reused.raw());
        assertEquals("refresh_token_already_used", reused.errorCode());
        assertEquals(false, rows.sessionExists(session));
        assertEquals("refresh_token_not_found", first.api.refresh(t2).errorCode());
    }

    @Test
    void anAccessTokenFromOneInstanceSignsOutOnTheOther() {
        UUID user = first.api.createUser();
        JsonNode a = first.api.startSession(user);
        first.api.startSession(user);
        Api.Reply logout = second.api.logout(a.path("access_token").asText(), "global");
        assertEquals(204, logout.status(), logout.raw());
        assertEquals(List.of(), rows.sessionsOf(user));
    }
}
