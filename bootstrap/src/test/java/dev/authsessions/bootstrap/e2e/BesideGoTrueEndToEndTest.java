package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.adapters.postgres.CatalogFingerprint;
import dev.authsessions.adapters.postgres.GoTrueDatabases;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.SessionId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service on a database that Supabase Auth (GoTrue) built (the shared fixture), as an operator would run it
 * there: no setting says "beside GoTrue". A session GoTrue issued refreshes over HTTP, GoTrue's schema is the same
 * afterwards, and a role that row-level security filters is refused at start with one line.
 */
class BesideGoTrueEndToEndTest {

    @Test
    void aV2SessionGoTrueIssuedRefreshesThroughAuthSessionsAndGoTruesSchemaStaysAsItWas() {
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            List<String> before = CatalogFingerprint.of(database, "auth");
            MutableClock clock = new MutableClock();
            UUID user = UUID.randomUUID();
            UUID session = UUID.randomUUID();
            byte[] key = new byte[HmacKey.LENGTH];
            new SecureRandom().nextBytes(key);
            GoTrueDatabases.insertUser(database, user, "grace@example.com", clock.peek().minusSeconds(60).atOffset(ZoneOffset.UTC));
            GoTrueDatabases.insertV2Session(database, session, user, key, clock.peek().minusSeconds(60).atOffset(ZoneOffset.UTC),
                    "Mozilla/5.0", "203.0.113.7");
            // What GoTrue handed the client at sign-in: the session's first token, counter 0.
            String issuedByGoTrue = RefreshToken.encode(new SessionId(session), 0, HmacKey.of(key));
            Rows rows = new Rows(database);

            try (RunningService service = RunningService.start(database, clock, Map.of("AUTH_SESSIONS_DATABASE_URL",
                    database.databaseUrlAs(GoTrueDatabases.GOTRUE_ROLE, GoTrueDatabases.GOTRUE_ROLE_PASSWORD)))) {
                assertEquals(200, service.api.send("GET", "/ready", null, null, Map.of()).status());

                Api.Reply refreshed = service.api.refresh(issuedByGoTrue);
                assertEquals(200, refreshed.status(), refreshed.raw());
                String next = refreshed.json().get("refresh_token").asText();
                assertEquals(session, Tokens.sessionOf(next));
                assertEquals(1, Tokens.counterOf(next));
                JsonNode claims = Tokens.payloadOf(refreshed.json().get("access_token").asText());
                assertEquals(user.toString(), claims.get("sub").asText());
                assertEquals(session.toString(), claims.get("session_id").asText());
                assertEquals(Optional.of(1L), rows.counterOf(session));

                Api.Reply again = service.api.refresh(next);
                assertEquals(200, again.status(), again.raw());
                assertEquals(2, Tokens.counterOf(again.json().get("refresh_token").asText()));
                assertEquals(Optional.of(2L), rows.counterOf(session));
            }
            assertEquals(before, CatalogFingerprint.of(database, "auth"), "GoTrue's schema is unchanged");
        }
    }

    @Test
    void connectedAsARoleThatRowLevelSecurityFiltersTheProcessRefusesToStartWithOneLineNamingTheRole() throws Exception {
        String role = TestDatabases.uniqueName("rls_app");
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            GoTrueDatabases.execute(database, "CREATE ROLE " + role + " LOGIN PASSWORD 'app-pw';"
                    + "GRANT USAGE ON SCHEMA auth TO " + role + ";"
                    + "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA auth TO " + role + ";"
                    + "GRANT CREATE ON DATABASE " + database.name() + " TO " + role + ";");
            Path output = Files.createTempFile("auth-sessions-refused", ".out");
            Path errors = Files.createTempFile("auth-sessions-refused", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                        "dev.authsessions.bootstrap.Main");
                builder.environment().keySet().removeIf(name -> name.startsWith("AUTH_SESSIONS_") || name.startsWith("GOTRUE_"));
                builder.environment().put("AUTH_SESSIONS_DATABASE_URL", database.databaseUrlAs(role, "app-pw"));
                builder.environment().put("AUTH_SESSIONS_HOST", "127.0.0.1");
                builder.environment().put("AUTH_SESSIONS_PORT", "0");
                builder.environment().put("AUTH_SESSIONS_ADMIN_KEYS", RunningService.ADMIN_KEY);
                builder.redirectOutput(output.toFile()).redirectError(errors.toFile());
                Process process = builder.start();
                try {
                    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the process ends by itself");
                    List<String> errorLines = Files.readAllLines(errors, StandardCharsets.UTF_8);
                    assertEquals(2, process.exitValue(), "stderr: " + errorLines);
                    assertEquals(List.of("auth-sessions: role \"" + role + "\" cannot work beside GoTrue: row-level security "
                            + "hides the rows of auth.sessions, auth.mfa_amr_claims, auth.refresh_tokens, auth.users, "
                            + "auth.mfa_factors, auth.schema_migrations from it (it is neither their owner supabase_auth_admin "
                            + "nor a superuser and has no BYPASSRLS) (connect as supabase_auth_admin, or a role with BYPASSRLS "
                            + "and these privileges)"), errorLines);
                    List<String> logged = new ArrayList<>(Files.readAllLines(output, StandardCharsets.UTF_8));
                    assertFalse(logged.stream().anyMatch(line -> line.contains("listening")), "never started: " + logged);
                } finally {
                    process.destroyForcibly();
                }
            } finally {
                deleteQuietly(output);
                deleteQuietly(errors);
            }
        } finally {
            GoTrueDatabases.dropRole(role);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A temporary file; the system cleans it up eventually.
        }
    }
}
