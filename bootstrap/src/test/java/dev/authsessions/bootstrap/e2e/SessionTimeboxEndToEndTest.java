package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code AUTH_SESSIONS_TIMEBOX=1h}: a session can be refreshed up to and including the instant one hour after its start. */
class SessionTimeboxEndToEndTest {
    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_TIMEBOX", "1h"));
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    @Test
    void refreshExactlyAtTheTimeboxWorksAndOneMicrosecondLaterTheSessionHasExpired() {
        JsonNode started = it.api.startSession(it.api.createUser());
        UUID session = Expect.sessionIdOf(started);
        String token = Expect.ok(it.api.refresh(started.path("refresh_token").asText())).path("refresh_token").asText();

        it.clock.advance(Duration.ofHours(1));
        token = Expect.ok(it.api.refresh(token)).path("refresh_token").asText();
        assertEquals(2L, it.rows.counterOf(session).orElseThrow());

        it.clock.advance(Duration.ofNanos(1_000));
        Expect.sessionExpired(it.api.refresh(token), "Invalid Refresh Token: Session Expired");
        assertEquals(2L, it.rows.counterOf(session).orElseThrow(), "a refused refresh changes nothing");
    }

    @Test
    void oneMillisecondPastTheTimeboxIsExpiredEvenRightAfterARefresh() {
        JsonNode started = it.api.startSession(it.api.createUser());
        it.clock.advance(Duration.ofMinutes(59).plusSeconds(59));
        String token = Expect.ok(it.api.refresh(started.path("refresh_token").asText())).path("refresh_token").asText();

        it.clock.advance(Duration.ofSeconds(1).plusMillis(1));
        Expect.sessionExpired(it.api.refresh(token), "Invalid Refresh Token: Session Expired");
        // The timebox counts from the start, not the last refresh: the token just issued is refused too,
        // and so is a reuse of the older one.
        Expect.sessionExpired(it.api.refresh(started.path("refresh_token").asText()), "Invalid Refresh Token: Session Expired");
    }

    @Test
    void aSessionStartedLaterKeepsWorkingWhenAnOlderOneHasExpired() {
        UUID user = it.api.createUser();
        JsonNode older = it.api.startSession(user);
        it.clock.advance(Duration.ofMinutes(45));
        JsonNode newer = it.api.startSession(user);

        it.clock.advance(Duration.ofMinutes(16));
        Expect.sessionExpired(it.api.refresh(older.path("refresh_token").asText()), "Invalid Refresh Token: Session Expired");
        String token = Expect.ok(it.api.refresh(newer.path("refresh_token").asText())).path("refresh_token").asText();
        it.clock.advance(Duration.ofMinutes(44));
        Expect.ok(it.api.refresh(token));
        assertTrue(it.rows.sessionExists(Expect.sessionIdOf(older)), "an expired session is refused, not deleted by the refresh");
    }
}
