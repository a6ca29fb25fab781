package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, point 5, through the real service and its configuration: supabase-js on another origin refreshes,
 * reads its user and signs out (preflight, then the request, as a browser sends them); admin routes answer
 * browsers only when {@code AUTH_SESSIONS_CORS_ADMIN_ROUTES} says so, and a configured origin list is enforced.
 */
class CorsEndToEndTest {
    private static final String PAGE = "https://app.example.com";
    private static final String SUPABASE_JS = "apikey,authorization,content-type,x-client-info,x-supabase-api-version";

    private static Api.Reply preflight(Api api, String path, String origin, String method) {
        return api.send("OPTIONS", path, null, null, Map.of("Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", SUPABASE_JS));
    }

    /** The headers supabase-js sends from a page, and its Origin. */
    private static Map<String, String> fromPage(String origin, String accessToken) {
        Map<String, String> headers = new HashMap<>(Map.of("Origin", origin, "apikey", "anon-key",
                "X-Client-Info", "supabase-js-web/2.45.0", "X-Supabase-Api-Version", "2024-01-01"));
        if (accessToken != null) {
            headers.put("Authorization", "Bearer " + accessToken);
        }
        return headers;
    }

    private static void assertAllowed(Api.Reply reply, String allowOrigin) {
        assertEquals(allowOrigin, reply.header("Access-Control-Allow-Origin"), reply.summary());
        assertEquals("true", reply.header("Access-Control-Allow-Credentials"));
    }

    @Test
    void supabaseJsOnAnotherOriginRefreshesReadsItsUserAndSignsOutWhileAdminRoutesStayClosed() {
        try (ServiceUnderTest under = ServiceUnderTest.start(Map.of())) {
            Api api = under.api;
            JsonNode started = api.startSession(api.createUser());

            Api.Reply preflight = preflight(api, "/token?grant_type=refresh_token", PAGE, "POST");
            assertEquals(204, preflight.status(), preflight.raw());
            assertAllowed(preflight, "*");
            assertEquals("POST", preflight.header("Access-Control-Allow-Methods"));
            assertEquals(SUPABASE_JS, preflight.header("Access-Control-Allow-Headers"));

            Api.Reply refreshed = api.refresh(started.path("refresh_token").asText(), Map.of(), fromPage(PAGE, null));
            assertEquals(200, refreshed.status(), refreshed.summary());
            assertAllowed(refreshed, "*");
            assertEquals("X-Total-Count, Link, X-Supabase-Api-Version", refreshed.header("Access-Control-Expose-Headers"));
            assertEquals("Origin", refreshed.header("Vary"));
            String access = refreshed.json().path("access_token").asText();

            Api.Reply refused = api.refresh("not-a-refresh-token", Map.of(), fromPage(PAGE, null));
            assertEquals(400, refused.status());
            assertAllowed(refused, "*");
            assertEquals("2024-01-01", refused.header("X-Supabase-Api-Version"));

            assertEquals(204, preflight(api, "/user", PAGE, "GET").status());
            Api.Reply user = api.send("GET", "/user", null, null, fromPage(PAGE, access));
            assertEquals(200, user.status(), user.summary());
            assertAllowed(user, "*");

            assertAllowed(preflight(api, "/logout?scope=local", PAGE, "POST"), "*");
            Api.Reply logout = api.send("POST", "/logout?scope=local", null, null, fromPage(PAGE, access));
            assertEquals(204, logout.status(), logout.summary());
            assertAllowed(logout, "*");

            Api.Reply adminPreflight = preflight(api, "/admin/sessions", PAGE, "POST");
            assertEquals(405, adminPreflight.status());
            assertNull(adminPreflight.header("Access-Control-Allow-Origin"));
            Map<String, String> adminFromPage = new HashMap<>(api.admin());
            adminFromPage.put("Origin", PAGE);
            Api.Reply admin = api.send("GET", "/admin/users/" + api.createUser() + "/sessions", null, null, adminFromPage);
            assertEquals(200, admin.status(), admin.summary());
            assertNull(admin.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void aConfiguredOriginListIsEnforcedAndTheAdminRoutesOpenWhenAsked() {
        try (ServiceUnderTest under = ServiceUnderTest.start(Map.of(
                "AUTH_SESSIONS_CORS_ALLOWED_ORIGINS", PAGE + ",https://*.example.org",
                "AUTH_SESSIONS_CORS_ADMIN_ROUTES", "true"))) {
            Api api = under.api;
            JsonNode started = api.startSession(api.createUser());

            Api.Reply allowed = api.refresh(started.path("refresh_token").asText(), Map.of(), fromPage(PAGE, null));
            assertEquals(200, allowed.status(), allowed.summary());
            assertAllowed(allowed, PAGE);
            assertAllowed(preflight(api, "/token", "https://eu.example.org", "POST"), "https://eu.example.org");

            Api.Reply otherPreflight = preflight(api, "/token", "https://evil.example.net", "POST");
            assertEquals(204, otherPreflight.status());
            assertNull(otherPreflight.header("Access-Control-Allow-Origin"));
            assertNull(otherPreflight.header("Access-Control-Allow-Methods"));
            Api.Reply other = api.refresh("not-a-refresh-token", Map.of(), fromPage("https://evil.example.net", null));
            assertEquals(400, other.status());
            assertNull(other.header("Access-Control-Allow-Origin"));

            Map<String, String> adminFromPage = new HashMap<>(api.admin());
            adminFromPage.put("Origin", PAGE);
            assertAllowed(preflight(api, "/admin/sessions", PAGE, "POST"), PAGE);
            Api.Reply admin = api.send("GET", "/admin/users/" + api.createUser() + "/sessions", null, null, adminFromPage);
            assertEquals(200, admin.status(), admin.summary());
            assertAllowed(admin, PAGE);
            assertNull(api.send("GET", "/health", null, null, Map.of("Origin", PAGE)).header("Access-Control-Allow-Origin"),
                    "operations routes never");
        }
    }
}
