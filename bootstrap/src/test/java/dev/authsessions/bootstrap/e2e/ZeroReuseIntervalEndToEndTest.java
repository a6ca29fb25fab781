package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code AUTH_SESSIONS_REFRESH_TOKEN_REUSE_INTERVAL=0}: no grace for concurrent refreshes; only the lost last answer is forgiven. */
class ZeroReuseIntervalEndToEndTest {
    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_REFRESH_TOKEN_REUSE_INTERVAL", "0"));
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    @Test
    void aTokenTwoBehindRightAfterARefreshIsRejectedAndEndsTheSession() {
        JsonNode started = it.api.startSession(it.api.createUser());
        UUID session = Expect.sessionIdOf(started);
        String t0 = started.path("refresh_token").asText();
        String t1 = Expect.ok(it.api.refresh(t0)).path("refresh_token").asText();
        String t2 = Expect.ok(it.api.refresh(t1)).path("refresh_token").asText();

        // Same instant as the last refresh: one behind is still the lost-answer case, nothing more.
        Api.Reply lost = it.api.refresh(t1);
        assertEquals(t2, Expect.ok(lost).path("refresh_token").asText());
        assertEquals("fail-to-save", lost.header("sb-auth-refresh-token-reuse-cause"));

        // Still the same instant: a default interval would call this a concurrent refresh.
        Expect.error(it.api.refresh(t0), 400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
        assertFalse(it.rows.sessionExists(session), "with rotation on, a detected reuse deletes the session");
        Expect.error(it.api.refresh(t2), 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }
}
