package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code AUTH_SESSIONS_REFRESH_TOKEN_ALLOW_REUSE=true}: any old token is answered with the current one. */
class AlwaysAllowReuseEndToEndTest {
    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_REFRESH_TOKEN_ALLOW_REUSE", "true"));
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    @Test
    void everyOldTokenIsAnsweredWithTheCurrentTokenAtAnyTime() {
        JsonNode started = it.api.startSession(it.api.createUser());
        UUID session = Expect.sessionIdOf(started);
        List<String> tokens = new ArrayList<>(List.of(started.path("refresh_token").asText()));
        for (int i = 0; i < 4; i++) {
            it.clock.advance(Duration.ofMinutes(1));
            tokens.add(Expect.ok(it.api.refresh(tokens.get(tokens.size() - 1))).path("refresh_token").asText());
        }
        String current = tokens.get(4);

        it.clock.advance(Duration.ofDays(3));
        for (int i = 0; i < 4; i++) {
            Api.Reply reply = it.api.refresh(tokens.get(i));
            assertEquals(current, Expect.ok(reply).path("refresh_token").asText(), "token " + i);
            assertEquals("true", reply.header("sb-auth-refresh-token-reuse"));
            String cause = reply.header("sb-auth-refresh-token-reuse-cause");
            assertTrue(cause != null && List.of(cause.split(",")).contains("always-allow"), "token " + i + ": " + cause);
            assertEquals(4L, it.rows.counterOf(session).orElseThrow(), "a reuse never raises the counter");
        }

        it.clock.advance(Duration.ofMinutes(1));
        Api.Reply rotated = it.api.refresh(current);
        String next = Expect.ok(rotated).path("refresh_token").asText();
        assertEquals("false", rotated.header("sb-auth-refresh-token-reuse"));
        assertEquals(5L, it.rows.counterOf(session).orElseThrow());
        it.clock.advance(Duration.ofHours(1));
        assertEquals(next, Expect.ok(it.api.refresh(tokens.get(0))).path("refresh_token").asText());
    }
}
