package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Readiness, metrics and HMAC key encryption through the real service and its configuration. */
class OperationsEndToEndTest {
    static final String KEY_2025 = "MjAyNS1rZXktMjAyNS1rZXktMjAyNS1rZXktMjAyNSE";
    static final String KEY_2026 = "MjAyNi1rZXktMjAyNi1rZXktMjAyNi1rZXktMjAyNiE";

    private static Api.Reply get(Api api, String path) {
        return api.send("GET", path, null, null, Map.of());
    }

    private static double metric(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        assertTrue(m.find(), series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void readyFollowsTheDatabaseWhileHealthOnlyFollowsTheProcess() {
        try (TestDatabase database = TestDatabases.fresh(); RunningService service = RunningService.start(database, new MutableClock())) {
            assertEquals(200, get(service.api, "/health").status());
            assertEquals(200, get(service.api, "/ready").status());

            database.refuseConnections();
            Api.Reply down = get(service.api, "/ready");
            assertEquals(503, down.status(), down.raw());
            assertEquals("service_unavailable", down.errorCode());
            assertEquals(200, get(service.api, "/health").status());

            database.acceptConnections();
            int status = 0;
            for (int attempt = 0; attempt < 40 && status != 200; attempt++) {
                status = get(service.api, "/ready").status();
            }
            assertEquals(200, status, "ready again without a restart");
        }
    }

    @Test
    void metricsCoverRequestsRefreshOutcomesThePoolAndTheJvm() {
        MutableClock clock = new MutableClock();
        try (TestDatabase database = TestDatabases.fresh(); RunningService service = RunningService.start(database, clock)) {
            Api api = service.api;
            JsonNode started = api.startSession(api.createUser());
            String first = started.path("refresh_token").asText();
            clock.advance(Duration.ofMinutes(1));
            String second = api.refresh(first).json().path("refresh_token").asText();
            String third = api.refresh(second).json().path("refresh_token").asText();
            clock.advance(Duration.ofMinutes(1));
            assertEquals(200, api.refresh(second).status(), "the previous token: allowed reuse");
            clock.advance(Duration.ofMinutes(1));
            assertEquals(400, api.refresh(first).status(), "two behind, outside the interval: the session ends");
            assertEquals(400, api.refresh("garbage").status());

            String text = get(api, "/metrics").raw();

            assertEquals(2, metric(text, "auth_sessions_refresh_total{outcome=\"rotated\",reason=\"none\"}"));
            assertEquals(1, metric(text, "auth_sessions_refresh_total{outcome=\"reuse_allowed\",reason=\"fail-to-save\"}"));
            assertEquals(1, metric(text, "auth_sessions_refresh_total{outcome=\"reuse_rejected\",reason=\"session_ended\"}"));
            assertEquals(3, metric(text, "http_server_requests_seconds_count{method=\"POST\",route=\"/token\",status=\"200\"}"));
            assertEquals(2, metric(text, "http_server_requests_seconds_count{method=\"POST\",route=\"/token\",status=\"400\"}"));
            assertEquals(1, metric(text, "http_server_requests_seconds_count{method=\"POST\",route=\"/admin/sessions\",status=\"201\"}"));
            assertEquals(8, metric(text, "hikaricp_connections_max{pool=\"auth-sessions\"}"), "the configured pool size");
            assertTrue(text.contains("hikaricp_connections_acquire_seconds_count{pool=\"auth-sessions\"}"), "pool wait times");
            assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM metrics");
            assertFalse(text.contains(third) || text.contains(first) || text.contains(RunningService.ADMIN_KEY));
        }
    }

    @Test
    void hmacKeysAreEncryptedAtRestAndAKeyRotationReEncryptsThemOnTheNextRefresh() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestDatabase database = TestDatabases.fresh()) {
            Rows rows = new Rows(database);
            UUID session;
            String token;
            try (RunningService first = RunningService.start(database, clock, Map.of(
                    "AUTH_SESSIONS_DB_ENCRYPTION_KEY", KEY_2025, "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID", "2025"))) {
                JsonNode started = first.api.startSession(first.api.createUser());
                session = UUID.fromString(started.path("session").path("id").asText());
                token = started.path("refresh_token").asText();
            }
            assertEquals("2025", keyIdOf(rows, session));

            clock.advance(Duration.ofMinutes(1));
            try (RunningService rotated = RunningService.start(database, clock, Map.of(
                    "AUTH_SESSIONS_DB_ENCRYPTION_KEY", KEY_2026, "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID", "2026",
                    "AUTH_SESSIONS_DB_DECRYPTION_KEYS", "2025:" + KEY_2025))) {
                Api.Reply refreshed = rotated.api.refresh(token);
                assertEquals(200, refreshed.status(), refreshed.raw());
                token = refreshed.json().path("refresh_token").asText();
            }
            assertEquals("2026", keyIdOf(rows, session), "re-encrypted by the refresh");

            clock.advance(Duration.ofMinutes(1));
            try (RunningService withoutOldKey = RunningService.start(database, clock, Map.of(
                    "AUTH_SESSIONS_DB_ENCRYPTION_KEY", KEY_2026, "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID", "2026"))) {
                assertEquals(200, withoutOldKey.api.refresh(token).status(), "the old key is no longer needed");

                // A session whose key is under a key id nobody configured is unusable, loudly.
                JsonNode other = withoutOldKey.api.startSession(withoutOldKey.api.createUser());
                UUID otherSession = UUID.fromString(other.path("session").path("id").asText());
                rows.setHmacKeyColumn(otherSession, rows.hmacKeyColumn(otherSession).replace("\"2026\"", "\"retired\""));
                Api.Reply broken = withoutOldKey.api.refresh(other.path("refresh_token").asText());
                assertEquals(500, broken.status(), broken.raw());
                assertEquals("unexpected_failure", broken.errorCode());
                assertFalse(broken.json().path("error_id").asText().isEmpty());
                assertFalse(broken.raw().contains("retired") || broken.raw().contains("aes-gcm"), broken.raw());
            }
        }
    }

    private static String keyIdOf(Rows rows, UUID session) throws Exception {
        return Api.JSON.readTree(rows.hmacKeyColumn(session)).path("key_id").asText(null);
    }
}
