package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.adapters.postgres.HmacKeyEncryption;
import dev.authsessions.adapters.postgres.JdbiSessionRepository;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import dev.authsessions.bootstrap.Configuration;
import dev.authsessions.bootstrap.Main;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.SessionId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of a full run (start, sessions, refreshes, step-up, logout, refusals, a 500,
 * stop), as text with stack traces and as JSON with arguments and key-value pairs, and looks in them for
 * every token, key and secret the run issued or was configured with. None may be there.
 */
class NoSecretsInLogsEndToEndTest {
    private static final String CURRENT_KEY = OperationsEndToEndTest.KEY_2026;
    private static final String OLD_KEY = OperationsEndToEndTest.KEY_2025;
    private static final HmacKeyEncryption ENCRYPTION =
            HmacKeyEncryption.of(Optional.of("2026"), Optional.of(CURRENT_KEY), Map.of("2025", OLD_KEY));

    private final Set<String> secrets = new LinkedHashSet<>();

    private static OutputStreamAppender<ILoggingEvent> capture(LoggerContext context, Encoder<ILoggingEvent> encoder,
                                                              ByteArrayOutputStream sink) {
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(sink);
        appender.setImmediateFlush(true);
        appender.start();
        return appender;
    }

    /** A token, and what a careless log line might show of it: a JWT's signature alone. */
    private void issued(String token) {
        assertFalse(token.isEmpty());
        secrets.add(token);
        String[] parts = token.split("\\.");
        if (parts.length == 3) {
            secrets.add(parts[2]);
        }
    }

    private void storedKey(TestDatabase database, UUID session) {
        Rows rows = new Rows(database);
        String column = rows.hmacKeyColumn(session);
        secrets.add(column);
        secrets.add(column.substring(column.indexOf("\"data\":\"") + 8, column.indexOf("\",\"nonce\"")));
        HmacKey key = new JdbiSessionRepository(database.jdbi(), ENCRYPTION).findById(new SessionId(session))
                .orElseThrow().refreshTokenHmacKey();
        secrets.add(key.toBase64Url());
        secrets.add(Base64.getEncoder().encodeToString(key.bytes()));
        secrets.add(HexFormat.of().formatHex(key.bytes()));
    }

    @Test
    void aFullRunLogsNoTokenKeyOrSecret() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setPattern("%level %logger %msg %kvp %mdc%n%ex{full}");
        OutputStreamAppender<ILoggingEvent> textAppender = capture(context, pattern, text);
        OutputStreamAppender<ILoggingEvent> jsonAppender = capture(context, new JsonEncoder(), json);
        Level previous = root.getLevel();
        root.setLevel(Level.INFO);
        root.addAppender(textAppender);
        root.addAppender(jsonAppender);
        String errorId;
        try {
            errorId = fullRun();
        } finally {
            root.detachAppender(textAppender);
            root.detachAppender(jsonAppender);
            root.setLevel(previous);
            textAppender.stop();
            jsonAppender.stop();
        }

        String textLog = text.toString(StandardCharsets.UTF_8);
        String jsonLog = json.toString(StandardCharsets.UTF_8);
        assertTrue(textLog.contains("POST /token 200"), textLog);
        assertTrue(textLog.contains("POST /admin/sessions/{id}/mfa 200"), textLog);
        assertTrue(textLog.contains("POST /logout 204"), textLog);
        assertTrue(textLog.contains("error_id=" + errorId), "the 500's error id is in the log");
        assertTrue(textLog.contains("HmacKeyEncryption$StoredKeyException"), "with the stack trace of the 500");
        assertTrue(textLog.contains("Starting with Configuration["), textLog);
        for (String line : jsonLog.split("\n")) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), "one JSON object per line: " + line);
        }
        assertTrue(secrets.size() > 30, "the run issued tokens and keys: " + secrets.size());
        List<String> leaked = new ArrayList<>();
        for (String secret : secrets) {
            if (textLog.contains(secret) || jsonLog.contains(secret)) {
                leaked.add(secret);
            }
        }
        assertEquals(List.of(), leaked, "secrets found in the log");
    }

    /** The run; returns the error id of its one 500. */
    private String fullRun() {
        MutableClock clock = new MutableClock();
        Map<String, String> env = new HashMap<>();
        env.put("AUTH_SESSIONS_DB_ENCRYPTION_KEY", CURRENT_KEY);
        env.put("AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID", "2026");
        env.put("AUTH_SESSIONS_DB_DECRYPTION_KEYS", "2025:" + OLD_KEY);
        secrets.addAll(List.of(RunningService.ADMIN_KEY, RunningService.JWT_SECRET, CURRENT_KEY, OLD_KEY));
        try (TestDatabase database = TestDatabases.fresh()) {
            env.put("AUTH_SESSIONS_DATABASE_URL", database.databaseUrl());
            // As Main does before it starts the service.
            LoggerFactory.getLogger(Main.class).info("Starting with {}", Configuration.fromEnvironment(env));
            try (RunningService service = RunningService.start(database, clock, env)) {
                Api api = service.api;
                UUID user = api.createUser();
                JsonNode first = api.startSession(user, Map.of("user_agent", "log-test", "ip", "203.0.113.5"));
                JsonNode second = api.startSession(user);
                UUID firstSession = UUID.fromString(first.path("session").path("id").asText());
                UUID secondSession = UUID.fromString(second.path("session").path("id").asText());
                for (JsonNode grant : List.of(first, second)) {
                    issued(grant.path("access_token").asText());
                    issued(grant.path("refresh_token").asText());
                }
                storedKey(database, firstSession);
                storedKey(database, secondSession);

                String token = first.path("refresh_token").asText();
                String oldest = token;
                for (int i = 0; i < 3; i++) {
                    clock.advance(Duration.ofMinutes(1));
                    Api.Reply refreshed = api.refresh(token);
                    assertEquals(200, refreshed.status(), refreshed.raw());
                    issued(refreshed.json().path("access_token").asText());
                    token = refreshed.json().path("refresh_token").asText();
                    issued(token);
                }
                String access = api.refresh(token).json().path("access_token").asText();
                issued(access);
                assertEquals(200, api.user(access).status());

                // Reuse of an old token ends the second session (before the step-up, which would delete it).
                clock.advance(Duration.ofMinutes(1));
                String secondToken = second.path("refresh_token").asText();
                String rotated = api.refresh(secondToken).json().path("refresh_token").asText();
                issued(rotated);
                clock.advance(Duration.ofMinutes(1));
                String newest = api.refresh(rotated).json().path("refresh_token").asText();
                issued(newest);
                clock.advance(Duration.ofMinutes(1));
                assertEquals("refresh_token_already_used", api.refresh(secondToken).errorCode(), "reuse ends the session");

                Api.Reply stepped = api.json("POST", "/admin/sessions/" + firstSession + "/mfa",
                        Map.of("factor_id", UUID.randomUUID().toString(), "method", "totp"), api.admin());
                assertEquals(200, stepped.status(), stepped.raw());
                issued(stepped.json().path("access_token").asText());
                issued(stepped.json().path("refresh_token").asText());
                storedKey(database, firstSession);

                // Refusals of every kind.
                assertEquals(400, api.refresh("not-a-refresh-token").status());
                assertEquals(400, api.refresh(token).status(), "a pre-step-up token");
                assertEquals(401, api.json("PUT", "/admin/users/" + UUID.randomUUID(), Map.of(),
                        Map.of("Authorization", "Bearer wrong-admin-key-but-long-enough")).status());
                assertEquals(403, api.user("eyJhbGciOiJIUzI1NiJ9.e30.forged-signature").status());
                assertEquals(404, api.send("GET", "/admin/sessions/" + UUID.randomUUID(), null, null, api.admin()).status());
                assertEquals(400, api.refresh(oldest).status());

                // A session whose key is under a key id nobody configured: a 500 with an error id.
                JsonNode third = api.startSession(user);
                issued(third.path("access_token").asText());
                issued(third.path("refresh_token").asText());
                UUID thirdSession = UUID.fromString(third.path("session").path("id").asText());
                storedKey(database, thirdSession);
                Rows rows = new Rows(database);
                rows.setHmacKeyColumn(thirdSession, rows.hmacKeyColumn(thirdSession).replace("\"2026\"", "\"retired\""));
                Api.Reply broken = api.refresh(third.path("refresh_token").asText());
                assertEquals(500, broken.status(), broken.raw());

                Api.Reply logout = api.logout(stepped.json().path("access_token").asText(), "local");
                assertEquals(204, logout.status(), logout.raw());
                return broken.json().path("error_id").asText();
            }
        }
    }
}
