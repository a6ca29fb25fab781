package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code AUTH_SESSIONS_REFRESH_TOKEN_ROTATION=false}: a detected reuse is refused, but the session lives on. */
class RotationOffEndToEndTest {
    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_REFRESH_TOKEN_ROTATION", "false"));
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    @Test
    void aTokenTwoBehindAfterTheIntervalIsRefusedAndTheSessionKeepsWorking() {
        JsonNode started = it.api.startSession(it.api.createUser());
        UUID session = Expect.sessionIdOf(started);
        String t0 = started.path("refresh_token").asText();
        String t1 = Expect.ok(it.api.refresh(t0)).path("refresh_token").asText();
        String t2 = Expect.ok(it.api.refresh(t1)).path("refresh_token").asText();

        it.clock.advance(Duration.ofSeconds(10));
        Expect.error(it.api.refresh(t0), 400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
        assertEquals(2L, it.rows.counterOf(session).orElseThrow(), "the session row is still there, its counter unchanged");

        // Refused again and again, never ending the session.
        it.clock.advance(Duration.ofHours(1));
        Expect.error(it.api.refresh(t0), 400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
        JsonNode next = Expect.ok(it.api.refresh(t2));
        assertEquals(3L, it.rows.counterOf(session).orElseThrow());
        Expect.ok(it.api.refresh(next.path("refresh_token").asText()));
        assertEquals(4L, it.rows.counterOf(session).orElseThrow());
    }

    @Test
    void theLastTokenIsStillAcceptedOnceRotatedAsALostAnswer() {
        JsonNode started = it.api.startSession(it.api.createUser());
        String t0 = started.path("refresh_token").asText();
        String t1 = Expect.ok(it.api.refresh(t0)).path("refresh_token").asText();
        it.clock.advance(Duration.ofMinutes(5));
        Api.Reply lost = it.api.refresh(t0);
        assertEquals(t1, Expect.ok(lost).path("refresh_token").asText());
        assertEquals("fail-to-save", lost.header("sb-auth-refresh-token-reuse-cause"));
    }
}
