package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core loop over real HTTP and real PostgreSQL: start, refresh with rotation and reuse detection, sign out. */
class RefreshFlowEndToEndTest {
    private static TestDatabase database;
    private static MutableClock clock;
    private static RunningService service;
    private static Api api;
    private static Rows rows;

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh();
        clock = new MutableClock();
        service = RunningService.start(database, clock);
        api = service.api;
        rows = new Rows(database);
    }

    @AfterAll
    static void stop() {
        service.close();
        database.close();
    }

    private static UUID sessionIdOf(JsonNode grant) {
        return UUID.fromString(grant.path("session").path("id").asText());
    }

    @Test
    void withoutTrustedProxiesARefreshRecordsThePeerAddressWhateverXForwardedForSays() {
        JsonNode started = api.startSession(api.createUser());
        UUID session = sessionIdOf(started);

        Api.Reply refreshed = api.refresh(started.path("refresh_token").asText(), Map.of(),
                Map.of("X-Forwarded-For", "198.51.100.7", "User-Agent", "supabase-js/2.45"));
        assertEquals(200, refreshed.status(), refreshed.raw());
        assertEquals(Map.of("user_agent", "supabase-js/2.45", "ip", "127.0.0.1"), rows.clientOf(session));
    }

    @Test
    void startRefreshRefreshRotatesEachTimeAndTheLastOldTokenIsReusableOnce() {
        UUID user = api.createUser();
        JsonNode started = api.startSession(user);
        UUID session = sessionIdOf(started);
        String first = started.path("refresh_token").asText();
        assertEquals(0L, rows.counterOf(session).orElseThrow());

        clock.advance(Duration.ofMinutes(5));
        Api.Reply second = api.refresh(first);
        assertEquals(200, second.status(), second.raw());
        String secondToken = second.json().path("refresh_token").asText();
        assertNotEquals(first, secondToken);
        assertEquals("1", second.header("sb-auth-refresh-token-counter"));
        assertEquals("false", second.header("sb-auth-refresh-token-reuse"));
        assertEquals(session.toString(), second.header("sb-auth-session-id"));
        assertEquals(user.toString(), second.header("sb-auth-user-id"));
        assertEquals("bearer", second.json().path("token_type").asText());
        assertEquals(3600, second.json().path("expires_in").asLong());
        assertEquals(user.toString(), second.json().path("user").path("id").asText());
        assertEquals(1L, rows.counterOf(session).orElseThrow());

        clock.advance(Duration.ofMinutes(5));
        Api.Reply third = api.refresh(secondToken);
        assertEquals(200, third.status(), third.raw());
        String thirdToken = third.json().path("refresh_token").asText();
        assertNotEquals(secondToken, thirdToken);
        assertEquals(2L, rows.counterOf(session).orElseThrow());

        // The client lost the last answer: the previous token gets the current one, once rotated already.
        clock.advance(Duration.ofMinutes(5));
        Api.Reply lost = api.refresh(secondToken);
        assertEquals(200, lost.status(), lost.raw());
        assertEquals(thirdToken, lost.json().path("refresh_token").asText());
        assertEquals("true", lost.header("sb-auth-refresh-token-reuse"));
        assertEquals("fail-to-save", lost.header("sb-auth-refresh-token-reuse-cause"));
        assertEquals(2L, rows.counterOf(session).orElseThrow());

        // The first token is two behind and the last refresh is long past: reuse, the session ends.
        clock.advance(Duration.ofMinutes(5));
        Api.Reply reused = api.refresh(first);
        assertEquals(400, reused.status(), reused.raw());
        assertEquals("refresh_token_already_used", reused.errorCode());
        assertEquals("Invalid Refresh Token: Already Used", reused.json().path("msg").asText());
        assertFalse(rows.sessionExists(session), "a detected reuse deletes the session");
        // GoTrue names the session and user of a refused token once the token has led to them.
        assertEquals(session.toString(), reused.header("sb-auth-session-id"));
        assertEquals(user.toString(), reused.header("sb-auth-user-id"));

        Api.Reply afterwards = api.refresh(thirdToken);
        assertEquals(400, afterwards.status());
        assertEquals("refresh_token_not_found", afterwards.errorCode());
        assertNull(afterwards.header("sb-auth-session-id"), "a token that leads nowhere names nothing");
        assertNull(afterwards.header("sb-auth-user-id"));
    }

    @Test
    void aTokenTwoBehindInsideTheReuseIntervalIsAllowedAsAConcurrentRefresh() {
        UUID user = api.createUser();
        JsonNode started = api.startSession(user);
        UUID session = sessionIdOf(started);
        String first = started.path("refresh_token").asText();
        clock.advance(Duration.ofMinutes(1));
        String second = api.refresh(first).json().path("refresh_token").asText();
        String third = api.refresh(second).json().path("refresh_token").asText();

        clock.advance(Duration.ofSeconds(9));
        Api.Reply reply = api.refresh(first);
        assertEquals(200, reply.status(), reply.raw());
        assertEquals(third, reply.json().path("refresh_token").asText());
        assertEquals("concurrent-refresh", reply.header("sb-auth-refresh-token-reuse-cause"));
        assertEquals(2L, rows.counterOf(session).orElseThrow());
    }

    @Test
    void fiftyConcurrentRefreshesWithOneTokenAllSucceedWithOneNewToken() throws Exception {
        UUID user = api.createUser();
        JsonNode started = api.startSession(user);
        UUID session = sessionIdOf(started);
        String token = started.path("refresh_token").asText();
        clock.advance(Duration.ofMinutes(1));

        List<Api.Reply> replies = concurrently(50, () -> api.refresh(token));

        Set<String> issued = new HashSet<>();
        for (Api.Reply reply : replies) {
            assertEquals(200, reply.status(), reply.raw());
            issued.add(reply.json().path("refresh_token").asText());
        }
        assertEquals(1, issued.size(), "every request gets the same new token");
        assertNotEquals(token, issued.iterator().next());
        assertEquals(1L, rows.counterOf(session).orElseThrow(), "the counter rises by exactly one");
        long rotations = replies.stream().filter(r -> "false".equals(r.header("sb-auth-refresh-token-reuse"))).count();
        assertEquals(1, rotations, "exactly one request rotated; the others were answered as reuse");

        Api.Reply next = api.refresh(issued.iterator().next());
        assertEquals(200, next.status(), next.raw());
        assertEquals(2L, rows.counterOf(session).orElseThrow());
    }

    @Test
    void logoutLocalOthersAndGlobalDeleteExactlyTheRightSessions() {
        UUID user = api.createUser();
        UUID bystander = api.createUser();
        UUID bystanderSession = sessionIdOf(api.startSession(bystander));
        JsonNode a = api.startSession(user);
        JsonNode b = api.startSession(user);
        JsonNode c = api.startSession(user);

        Api.Reply local = api.logout(a.path("access_token").asText(), "local");
        assertEquals(204, local.status(), local.raw());
        assertEquals(sorted(sessionIdOf(b), sessionIdOf(c)), rows.sessionsOf(user));

        JsonNode d = api.startSession(user);
        Api.Reply others = api.logout(b.path("access_token").asText(), "others");
        assertEquals(204, others.status(), others.raw());
        assertEquals(List.of(sessionIdOf(b)), rows.sessionsOf(user));

        api.startSession(user);
        Api.Reply global = api.logout(b.path("access_token").asText(), null);
        assertEquals(204, global.status(), global.raw());
        assertEquals(List.of(), rows.sessionsOf(user));
        assertTrue(rows.sessionExists(bystanderSession), "another user's session is never touched");

        // Access tokens of ended sessions no longer work; their refresh tokens are not found.
        Api.Reply user403 = api.user(d.path("access_token").asText());
        assertEquals(403, user403.status());
        assertEquals("session_not_found", user403.errorCode());
        Api.Reply refresh = api.refresh(a.path("refresh_token").asText());
        assertEquals(400, refresh.status());
        assertEquals("refresh_token_not_found", refresh.errorCode());
    }

    @Test
    void getUserReturnsTheCallerAndNeedsABearerToken() {
        UUID user = api.createUser();
        JsonNode started = api.startSession(user);
        Api.Reply me = api.user(started.path("access_token").asText());
        assertEquals(200, me.status(), me.raw());
        assertEquals(user.toString(), me.json().path("id").asText());
        assertEquals(user + "@example.com", me.json().path("email").asText());

        Api.Reply none = api.send("GET", "/user", null, null, Map.of());
        assertEquals(401, none.status());
        assertEquals("no_authorization", none.errorCode());
        Api.Reply garbage = api.user("not.a.jwt");
        assertEquals(403, garbage.status());
        assertEquals("bad_jwt", garbage.errorCode());
    }

    @Test
    void malformedRequestsAreRefusedWith4xxAndChangeNothing() {
        UUID user = api.createUser();
        JsonNode started = api.startSession(user);
        String access = started.path("access_token").asText();
        String token = started.path("refresh_token").asText();
        String before = rows.snapshot();

        record Case(String name, Api.Reply reply, int status, String code) {
        }
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("garbage token", api.refresh("not-a-token"), 400, "validation_failed"));
        cases.add(new Case("truncated token", api.refresh(token.substring(0, token.length() - 3)), 400, "validation_failed"));
        cases.add(new Case("padded token", api.refresh(token + "=="), 400, "validation_failed"));
        cases.add(new Case("empty token", api.refresh(""), 400, "validation_failed"));
        cases.add(new Case("bad JSON", api.send("POST", "/token?grant_type=refresh_token", "application/json",
                "{\"refresh_token\":", Map.of()), 400, "bad_json"));
        cases.add(new Case("JSON array", api.send("POST", "/token?grant_type=refresh_token", "application/json",
                "[]", Map.of()), 400, null));
        cases.add(new Case("token of wrong type", api.send("POST", "/token?grant_type=refresh_token", "application/json",
                "{\"refresh_token\": 42}", Map.of()), 400, "validation_failed"));
        cases.add(new Case("a form labelled text/plain", api.send("POST", "/token?grant_type=refresh_token", "text/plain",
                "refresh_token=" + token, Map.of()), 400, "bad_json"));
        cases.add(new Case("unknown grant type", api.json("POST", "/token?grant_type=password",
                Map.of("refresh_token", token), Map.of()), 400, "validation_failed"));
        cases.add(new Case("no grant type", api.json("POST", "/token", Map.of("refresh_token", token), Map.of()),
                400, "validation_failed"));
        cases.add(new Case("unknown logout scope", api.logout(access, "everything"), 400, "validation_failed"));
        cases.add(new Case("bad user UUID", api.json("PUT", "/admin/users/not-a-uuid", Map.of(), api.admin()),
                400, "validation_failed"));
        cases.add(new Case("bad session user UUID", api.json("POST", "/admin/sessions",
                Map.of("user_id", "1-1-1-1-1", "authentication_method", "password"), api.admin()), 400, "validation_failed"));
        cases.add(new Case("unknown method", api.json("POST", "/admin/sessions",
                Map.of("user_id", user.toString(), "authentication_method", "telepathy"), api.admin()), 400, "validation_failed"));
        cases.add(new Case("bad ip", api.json("POST", "/admin/sessions",
                Map.of("user_id", user.toString(), "authentication_method", "password", "ip", "999.1.1.1"), api.admin()),
                400, "validation_failed"));
        cases.add(new Case("unknown user", api.json("POST", "/admin/sessions",
                Map.of("user_id", UUID.randomUUID().toString(), "authentication_method", "password"), api.admin()),
                404, "user_not_found"));
        cases.add(new Case("admin without key", api.json("PUT", "/admin/users/" + UUID.randomUUID(), Map.of(), Map.of()),
                401, "no_authorization"));
        cases.add(new Case("admin with wrong key", api.json("PUT", "/admin/users/" + UUID.randomUUID(), Map.of(),
                Api.bearer("wrong-admin-key-0123456789")), 401, "no_authorization"));
        cases.add(new Case("user token as admin key", api.json("PUT", "/admin/users/" + UUID.randomUUID(), Map.of(),
                Api.bearer(access)), 401, "no_authorization"));

        for (Case c : cases) {
            assertEquals(c.status(), c.reply().status(), c.name() + ": " + c.reply().raw());
            assertNull(c.reply().header("sb-auth-session-id"), c.name());
            if (c.code() != null) {
                assertEquals(c.code(), c.reply().errorCode(), c.name() + ": " + c.reply().raw());
                assertEquals(c.code(), c.reply().header("x-sb-error-code"), c.name());
            }
            assertFalse(c.reply().raw().contains(token), c.name() + ": the token is never echoed");
        }
        assertEquals(before, rows.snapshot(), "refused requests change nothing");
        assertEquals(200, api.refresh(token).status(), "the session still works");
    }

    /** GoTrue decodes a JSON body whatever its Content-Type: a refresh sent as text/plain (fetch's default for a string) works. */
    @Test
    void aJsonBodyIsReadWhateverItsContentTypeSays() {
        UUID user = api.createUser();
        String token = api.startSession(user).path("refresh_token").asText();
        for (String type : new String[] {"text/plain;charset=UTF-8", null, "application/octet-stream"}) {
            Api.Reply reply = api.send("POST", "/token?grant_type=refresh_token", type, "{\"refresh_token\":\"" + token + "\"}", Map.of());
            assertEquals(200, reply.status(), () -> type + ": " + reply.summary());
            token = reply.json().path("refresh_token").asText();
        }
        Api.Reply admin = api.send("PUT", "/admin/users/" + user, "text/plain", "{\"email\":\"plain@example.com\"}", api.admin());
        assertEquals(200, admin.status(), admin.summary());
        assertEquals("plain@example.com", admin.json().path("email").asText());
    }

    @Test
    void errorsUseTheNewShapeWithAnApiVersionHeader() {
        Api.Reply reply = api.send("POST", "/token?grant_type=refresh_token", "application/json",
                "{\"refresh_token\":\"nope\"}", Map.of("X-Supabase-Api-Version", "2024-01-01"));
        assertEquals(400, reply.status());
        assertEquals("validation_failed", reply.json().path("code").asText());
        assertEquals("Refresh token is not valid", reply.json().path("message").asText());
        assertNull(reply.json().get("msg"));
        assertEquals("2024-01-01", reply.header("X-Supabase-Api-Version"));
    }

    /**
     * In PostgreSQL's uuid order, as {@link Rows#sessionsOf} returns them: unsigned bytes, which is the
     * order of the text form. {@link UUID#compareTo} compares signed longs and disagrees whenever a
     * half's top bit differs.
     */
    static List<UUID> sorted(UUID... ids) {
        List<UUID> list = new ArrayList<>(List.of(ids));
        list.sort(java.util.Comparator.comparing(UUID::toString));
        return list;
    }

    /** Runs {@code n} copies of the call at once (released together) and returns every answer. */
    static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        return ServiceUnderTest.together(java.util.Collections.nCopies(n, call));
    }
}
