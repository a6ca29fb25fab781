package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.adapters.postgres.GoTrueDatabases;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.application.fakes.MutableClock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Beside GoTrue, users (with their identities), MFA factors and OAuth clients are GoTrue's: every admin write to
 * them is answered 409 {@code managed_by_gotrue} and leaves GoTrue's rows exactly as they were, while the
 * sessions of GoTrue's users stay auth-sessions' to start, refresh, step up and delete.
 */
class GoTrueOwnedTablesEndToEndTest {
    private static final List<String> GOTRUE_TABLES = List.of("auth.users", "auth.identities", "auth.mfa_factors",
            "auth.oauth_clients");

    /** Every row of GoTrue's tables, as text, in a stable order: any change to any column shows. */
    private static Map<String, List<String>> rowsOf(TestDatabase database) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        database.jdbi().useHandle(h -> {
            for (String table : GOTRUE_TABLES) {
                rows.put(table, h.createQuery("SELECT t::text FROM " + table + " t ORDER BY 1").mapTo(String.class).list());
            }
        });
        return rows;
    }

    /** The rows with the {@code updated_at} column of {@code auth.mfa_factors} (its 7th) blanked. */
    private static Map<String, List<String>> withoutFactorUpdatedAt(Map<String, List<String>> rows) {
        Map<String, List<String>> copy = new LinkedHashMap<>(rows);
        copy.put("auth.mfa_factors", rows.get("auth.mfa_factors").stream()
                .map(row -> row.replaceFirst("^((?:[^,]*,){6})\"[^\"]*\"", "$1-")).toList());
        return copy;
    }

    /** An email identity, a verified TOTP factor and a public OAuth client, as GoTrue's models write them. */
    private static void writeAsGoTrue(TestDatabase database, UUID user, UUID factor, UUID client, OffsetDateTime at) {
        GoTrueDatabases.insertUser(database, user, "grace@example.com", at);
        database.jdbi().useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
                    VALUES (:provider_id, :user, CAST(:data AS jsonb), 'email', :at, :at, :at)
                    """)
                    .bind("provider_id", user.toString()).bind("user", user).bind("at", at)
                    .bind("data", "{\"sub\": \"" + user + "\", \"email\": \"grace@example.com\", \"email_verified\": true,"
                            + " \"phone_verified\": false}")
                    .execute();
            h.createUpdate("""
                    INSERT INTO auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at,
                        secret, phone, last_challenged_at, web_authn_credential, web_authn_aaguid, last_webauthn_challenge_data)
                    VALUES (:id, :user, '', 'totp', 'verified', :at, :at, 'JBSWY3DPEHPK3PXP', NULL, NULL, NULL, NULL, NULL)
                    """)
                    .bind("id", factor).bind("user", user).bind("at", at).execute();
            h.createUpdate("""
                    INSERT INTO auth.oauth_clients (id, client_secret_hash, registration_type, redirect_uris, grant_types,
                        client_name, client_uri, logo_uri, created_at, updated_at, deleted_at, client_type, token_endpoint_auth_method)
                    VALUES (:id, NULL, 'manual', 'https://app.example.com/callback', 'authorization_code,refresh_token',
                        'Example app', NULL, NULL, :at, :at, NULL, 'public', 'none')
                    """)
                    .bind("id", client).bind("at", at).execute();
        });
    }

    private static void assertManagedByGoTrue(Api.Reply reply, String owned, String what) {
        assertEquals(409, reply.status(), what + ": " + reply.raw());
        assertEquals("managed_by_gotrue", reply.errorCode(), what);
        assertEquals("managed_by_gotrue", reply.header("x-sb-error-code"), what);
        assertEquals(409, reply.json().get("code").asInt(), what);
        String message = reply.json().get("msg").asText();
        assertTrue(message.startsWith("Beside Supabase Auth, " + owned + " are managed by Supabase Auth (GoTrue); use its "),
                what + ": " + message);
    }

    @Test
    void everyAdminWriteToGoTruesTablesIsRefusedAndChangesNothingWhileSessionsOfGoTruesUsersStillWork() {
        try (TestDatabase database = GoTrueDatabases.fresh()) {
            MutableClock clock = new MutableClock();
            UUID user = UUID.randomUUID();
            UUID factor = UUID.randomUUID();
            UUID client = UUID.randomUUID();
            writeAsGoTrue(database, user, factor, client, clock.peek().minusSeconds(60).atOffset(ZoneOffset.UTC));
            Map<String, List<String>> before = rowsOf(database);
            assertEquals(List.of(1, 1, 1, 1), before.values().stream().map(List::size).toList());
            UUID stranger = UUID.randomUUID();

            try (RunningService service = RunningService.start(database, clock, Map.of("AUTH_SESSIONS_DATABASE_URL",
                    database.databaseUrlAs(GoTrueDatabases.GOTRUE_ROLE, GoTrueDatabases.GOTRUE_ROLE_PASSWORD)))) {
                Api api = service.api;

                assertManagedByGoTrue(api.putUser(user, Map.of("email", "grace@new.example.com")), "users", "PUT a GoTrue user");
                assertManagedByGoTrue(api.putUser(stranger, Map.of("email", "new@example.com")), "users", "PUT a new user");
                assertManagedByGoTrue(api.send("DELETE", "/admin/users/" + user, null, null, api.admin()), "users",
                        "DELETE a GoTrue user");
                assertManagedByGoTrue(api.send("DELETE", "/admin/users/" + stranger, null, null, api.admin()), "users",
                        "DELETE an unknown user");
                assertManagedByGoTrue(api.putOAuthClient(client, Map.of("client_name", "renamed", "client_type", "public")),
                        "OAuth clients", "PUT a GoTrue OAuth client");
                assertManagedByGoTrue(api.putOAuthClient(stranger, Map.of("client_name", "new", "client_type", "public")),
                        "OAuth clients", "PUT a new OAuth client");
                assertManagedByGoTrue(api.deleteOAuthClient(client), "OAuth clients", "DELETE a GoTrue OAuth client");
                assertManagedByGoTrue(api.registerFactor(user, stranger), "MFA factors", "PUT a new factor");
                assertManagedByGoTrue(api.registerFactor(user, factor), "MFA factors", "PUT GoTrue's factor");
                assertManagedByGoTrue(api.removeFactor(user, factor), "MFA factors", "DELETE GoTrue's factor");

                // The dated API gets the same refusal in its own shape.
                Api.Reply dated = api.json("PUT", "/admin/users/" + user, Map.of("email", "x@example.com"),
                        Map.of("Authorization", "Bearer " + RunningService.ADMIN_KEY, "X-Supabase-Api-Version", "2024-01-01"));
                assertEquals(409, dated.status(), dated.raw());
                assertEquals("managed_by_gotrue", dated.json().get("code").asText());

                assertEquals(before, rowsOf(database), "GoTrue's users, identities, factors and OAuth clients are unchanged");

                // Sessions stay ours: start one for GoTrue's user, refresh it, step it up with GoTrue's factor, delete it.
                JsonNode started = api.startSession(user);
                String sessionId = started.get("session").get("id").asText();
                assertEquals(user.toString(), started.get("user").get("id").asText());
                Api.Reply refreshed = api.refresh(started.get("refresh_token").asText());
                assertEquals(200, refreshed.status(), refreshed.raw());
                assertManagedByGoTrue(api.stepUp(UUID.fromString(sessionId), stranger), "MFA factors",
                        "a step-up with a factor GoTrue does not have");
                assertEquals(before, rowsOf(database), "a refused step-up enrolls no factor");
                Api.Reply steppedUp = api.stepUp(UUID.fromString(sessionId), factor);
                assertEquals(200, steppedUp.status(), steppedUp.raw());
                assertEquals("aal2", Tokens.payloadOf(steppedUp.json().get("access_token").asText()).get("aal").asText());
                assertEquals(200, api.refresh(steppedUp.json().get("refresh_token").asText()).status());
                Api.Reply deleted = api.send("DELETE", "/admin/sessions/" + sessionId, null, null, api.admin());
                assertEquals(204, deleted.status(), deleted.raw());
                Api.Reply afterDelete = api.refresh(steppedUp.json().get("refresh_token").asText());
                assertEquals(400, afterDelete.status(), afterDelete.raw());
                assertNotNull(afterDelete.errorCode());

                // Known and left alone here: the step-up still stamps updated_at on GoTrue's (verified) factor row.
                assertEquals(withoutFactorUpdatedAt(before), withoutFactorUpdatedAt(rowsOf(database)),
                        "the session routes changed nothing else of GoTrue's own tables");
            }
        }
    }
}
