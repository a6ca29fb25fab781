package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code AUTH_SESSIONS_INACTIVITY_TIMEOUT=30m}: measured from the last refresh, or from the start when never refreshed. */
class SessionInactivityEndToEndTest {
    private static final String INACTIVE = "Invalid Refresh Token: Session Expired (Inactivity)";
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final Duration MICROSECOND = Duration.ofNanos(1_000);

    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_INACTIVITY_TIMEOUT", "30m"));
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    @Test
    void aNeverRefreshedSessionLivesThirtyMinutesFromItsStart() {
        UUID user = it.api.createUser();
        JsonNode atLimit = it.api.startSession(user);
        JsonNode pastLimit = it.api.startSession(user);

        it.clock.advance(TIMEOUT);
        Expect.ok(it.api.refresh(atLimit.path("refresh_token").asText()));
        it.clock.advance(MICROSECOND);
        Expect.sessionExpired(it.api.refresh(pastLimit.path("refresh_token").asText()), INACTIVE);
        assertEquals(0L, it.rows.counterOf(Expect.sessionIdOf(pastLimit)).orElseThrow());
    }

    @Test
    void theTimeoutCountsFromTheLastRefresh() {
        JsonNode started = it.api.startSession(it.api.createUser());
        it.clock.advance(Duration.ofMinutes(25));
        String token = Expect.ok(it.api.refresh(started.path("refresh_token").asText())).path("refresh_token").asText();

        // 55 minutes after the start but exactly 30 after the refresh: still active.
        it.clock.advance(TIMEOUT);
        token = Expect.ok(it.api.refresh(token)).path("refresh_token").asText();

        it.clock.advance(TIMEOUT.plus(MICROSECOND));
        Expect.sessionExpired(it.api.refresh(token), INACTIVE);
    }

    @Test
    void aSessionRefreshedEveryTwentyMinutesLivesOnForHours() {
        JsonNode started = it.api.startSession(it.api.createUser());
        UUID session = Expect.sessionIdOf(started);
        String token = started.path("refresh_token").asText();
        for (int round = 1; round <= 9; round++) {
            it.clock.advance(Duration.ofMinutes(20));
            token = Expect.ok(it.api.refresh(token)).path("refresh_token").asText();
        }
        assertEquals(9L, it.rows.counterOf(session).orElseThrow(), "three hours on, every refresh rotated");

        // The client goes quiet for longer than the timeout: its current token is refused.
        it.clock.advance(Duration.ofMinutes(31));
        Expect.sessionExpired(it.api.refresh(token), INACTIVE);
    }

    @Test
    void anInactiveSessionDoesNotStopAnotherSessionOfTheUser() {
        UUID user = it.api.createUser();
        JsonNode idle = it.api.startSession(user);
        JsonNode active = it.api.startSession(user);
        String token = active.path("refresh_token").asText();
        for (int round = 0; round < 3; round++) {
            it.clock.advance(Duration.ofMinutes(15));
            token = Expect.ok(it.api.refresh(token)).path("refresh_token").asText();
        }
        Expect.sessionExpired(it.api.refresh(idle.path("refresh_token").asText()), INACTIVE);
        it.clock.advance(Duration.ofMinutes(29));
        Expect.ok(it.api.refresh(token));
    }
}
