package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.TokenGrant;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * CORS over real sockets, as a browser running supabase-js on another origin sees it: the preflight, then the
 * actual request, success or error; GoTrue's headers on the client routes, none on admin and operations routes
 * unless configured, none for an origin, method or header that is not allowed.
 */
class CorsTest {
    static final String PAGE = "https://app.example.com";
    /** What supabase-js sends with a refresh, as a browser lists it in the preflight: lower case, sorted, no spaces. */
    static final String SUPABASE_JS_HEADERS = "apikey,authorization,content-type,x-client-info,x-supabase-api-version";
    static final String PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    static final List<String> ALLOW_HEADERS = List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
            "Access-Control-Allow-Headers", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers");

    static HttpResponse<String> preflight(TestServer server, String path, String origin, String method, String headers)
            throws Exception {
        List<String> request = new ArrayList<>(List.of("Origin", origin, "Access-Control-Request-Method", method));
        if (headers != null) {
            request.addAll(List.of("Access-Control-Request-Headers", headers));
        }
        return server.send("OPTIONS", path, null, request.toArray(String[]::new));
    }

    static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    static void assertNoCors(HttpResponse<?> response) {
        for (String name : ALLOW_HEADERS) {
            assertEquals(Optional.empty(), header(response, name), name + " on " + response);
        }
    }

    static void assertAllowedPreflight(HttpResponse<String> response, String origin, String method, String headers) {
        assertEquals(204, response.statusCode(), response.body());
        assertEquals("", response.body());
        assertEquals(Optional.of(origin), header(response, "Access-Control-Allow-Origin"));
        assertEquals(Optional.of(method), header(response, "Access-Control-Allow-Methods"));
        assertEquals(Optional.ofNullable(headers), header(response, "Access-Control-Allow-Headers"));
        assertEquals(Optional.of("true"), header(response, "Access-Control-Allow-Credentials"));
        assertEquals(List.of(PREFLIGHT_VARY), response.headers().allValues("Vary"));
        assertEquals(Optional.empty(), header(response, "Access-Control-Max-Age"), "GoTrue sends no max age");
        assertEquals(Optional.empty(), header(response, "Access-Control-Expose-Headers"), "only on actual answers");
    }

    static void assertActualCors(HttpResponse<String> response, String allowOrigin) {
        assertEquals(Optional.of(allowOrigin), header(response, "Access-Control-Allow-Origin"), response.body());
        assertEquals(Optional.of("true"), header(response, "Access-Control-Allow-Credentials"));
        assertEquals(Optional.of("X-Total-Count, Link, X-Supabase-Api-Version"), header(response, "Access-Control-Expose-Headers"));
        assertEquals(List.of("Origin"), response.headers().allValues("Vary"));
        assertEquals(Optional.empty(), header(response, "Access-Control-Allow-Methods"), "only on preflights");
    }

    static TokenGrant grant() {
        return new TokenGrant("signed.access.jwt", Instant.parse("2030-01-01T01:00:00Z"), 3600, "next-refresh-token",
                Fixtures.user(), Fixtures.session(2), false, List.of());
    }

    /** GoTrue's defaults: every origin, client routes only. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ByDefault {
        private TestServer server;

        @BeforeAll
        void start() {
            server = new TestServer();
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @BeforeEach
        void reset() {
            server.reset();
        }

        @Test
        void aPreflightOfSupabaseJsIsAllowedOnEveryClientRouteWithoutReachingIt() throws Exception {
            for (String[] route : new String[][] {
                {"/token?grant_type=refresh_token", "POST"}, {"/logout?scope=local", "POST"}, {"/user", "GET"},
                {"/sessions", "GET"}, {"/sessions/" + Fixtures.SESSION_ID, "DELETE"}, {"/.well-known/jwks.json", "GET"}}) {
                HttpResponse<String> response = preflight(server, route[0], PAGE, route[1], SUPABASE_JS_HEADERS);

                assertAllowedPreflight(response, "*", route[1], SUPABASE_JS_HEADERS);
                assertEquals(Optional.empty(), header(response, "x-sb-error-code"), route[0]);
            }
        }

        @Test
        void everyHeaderGoTrueAllowsIsAllowedInAnySpellingAndAnyOtherIsNot() throws Exception {
            String goTrue = "accept,authorization,content-type,x-client-info,x-client-ip,x-jwt-aud,x-supabase-api-version,x-use-cookie";
            assertAllowedPreflight(preflight(server, "/token", PAGE, "POST", goTrue), "*", "POST", goTrue);
            assertAllowedPreflight(preflight(server, "/token", PAGE, "POST", "Content-Type, ApiKey"), "*", "POST",
                    "Content-Type, ApiKey");
            assertAllowedPreflight(preflight(server, "/token", PAGE, "POST", ""), "*", "POST", null);
            assertAllowedPreflight(preflight(server, "/token", PAGE, "POST", null), "*", "POST", null);

            for (String refused : List.of("apikey,x-custom", "cookie", "apikey,,authorization")) {
                HttpResponse<String> response = preflight(server, "/token", PAGE, "POST", refused);
                assertEquals(204, response.statusCode(), refused);
                assertNoCors(response);
                assertEquals(List.of(PREFLIGHT_VARY), response.headers().allValues("Vary"), refused);
            }
        }

        @Test
        void aPreflightForAMethodGoTrueDoesNotAllowGetsNoAllowHeaders() throws Exception {
            for (String method : List.of("PUT", "PATCH", "DELETE", "GET", "POST")) {
                assertAllowedPreflight(preflight(server, "/user", PAGE, method, null), "*", method, null);
            }
            for (String method : List.of("HEAD", "TRACE", "CONNECT", "delete", "PROPFIND")) {
                HttpResponse<String> response = preflight(server, "/user", PAGE, method, null);
                assertEquals(204, response.statusCode(), method);
                assertNoCors(response);
            }
        }

        @Test
        void aPreflightWithoutAnOriginGetsOnlyVary() throws Exception {
            HttpResponse<String> response = server.send("OPTIONS", "/token", null, "Access-Control-Request-Method", "POST");

            assertEquals(204, response.statusCode());
            assertNoCors(response);
            assertEquals(List.of(PREFLIGHT_VARY), response.headers().allValues("Vary"));
        }

        @Test
        void aRefreshFromAPageCarriesTheHeadersOnSuccess() throws Exception {
            server.refresh.set(command -> grant());

            HttpResponse<String> response = server.send("POST", "/token?grant_type=refresh_token",
                    "{\"refresh_token\":\"some-token\"}", "Content-Type", "application/json;charset=UTF-8", "Origin", PAGE,
                    "apikey", "anon-key", "X-Client-Info", "supabase-js-web/2.0.0", "X-Supabase-Api-Version", "2024-01-01");

            assertEquals(200, response.statusCode(), response.body());
            assertActualCors(response, "*");
            assertEquals(Optional.of("2024-01-01"), header(response, "X-Supabase-Api-Version"),
                    "exposed, so that supabase-js can read the error shape");
        }

        @Test
        void aRefreshFromAPageCarriesTheHeadersOnEveryError() throws Exception {
            server.refresh.set(command -> {
                throw Rejection.badRequest(ErrorCode.REFRESH_TOKEN_NOT_FOUND, "Invalid Refresh Token: Refresh Token Not Found");
            });
            HttpResponse<String> rejected = server.send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"t\"}",
                    "Content-Type", "application/json", "Origin", PAGE, "X-Supabase-Api-Version", "2024-01-01");
            assertEquals(400, rejected.statusCode(), rejected.body());
            assertEquals(Optional.of("refresh_token_not_found"), header(rejected, "x-sb-error-code"));
            assertActualCors(rejected, "*");

            server.refresh.set(command -> {
                throw new IllegalStateException("boom");
            });
            HttpResponse<String> failed = server.send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"t\"}",
                    "Content-Type", "application/json", "Origin", PAGE);
            assertEquals(500, failed.statusCode(), failed.body());
            assertActualCors(failed, "*");

            HttpResponse<String> tooLarge = server.send("POST", "/token?grant_type=refresh_token",
                    "{\"refresh_token\":\"" + "a".repeat(9000) + "\"}", "Content-Type", "application/json", "Origin", PAGE);
            assertEquals(413, tooLarge.statusCode(), tooLarge.body());
            assertActualCors(tooLarge, "*");

            HttpResponse<String> badJson = server.send("POST", "/token?grant_type=refresh_token", "{", "Content-Type",
                    "application/json", "Origin", PAGE);
            assertEquals(400, badJson.statusCode(), badJson.body());
            assertActualCors(badJson, "*");

        }

        @Test
        void theOtherClientRoutesCarryTheHeadersOnSuccessAndOnErrorsIncluding404And405() throws Exception {
            server.logout.set((caller, scope) -> { });
            server.listOwn.set(query -> new ListOwnSessionsUseCase.Page(List.of(), null));
            server.endOwn.set((caller, id) -> {
                throw Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found");
            });
            String bearer = "Bearer " + TestServer.ACCESS_TOKEN;
            List<HttpResponse<String>> answers = List.of(
                    server.send("POST", "/logout?scope=local", null, "Origin", PAGE, "Authorization", bearer),
                    server.send("GET", "/user", null, "Origin", PAGE, "Authorization", bearer),
                    server.send("GET", "/user", null, "Origin", PAGE, "Authorization", "Bearer forged"),
                    server.send("GET", "/user", null, "Origin", PAGE),
                    server.send("GET", "/sessions", null, "Origin", PAGE, "Authorization", bearer),
                    server.send("DELETE", "/sessions/" + Fixtures.SESSION_ID, null, "Origin", PAGE, "Authorization", bearer),
                    server.send("DELETE", "/sessions/not-a-uuid", null, "Origin", PAGE, "Authorization", bearer),
                    server.send("GET", "/.well-known/jwks.json", null, "Origin", PAGE),
                    server.send("PUT", "/token", "{}", "Origin", PAGE),
                    server.send("DELETE", "/user/", null, "Origin", PAGE));
            List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();

            assertEquals(List.of(204, 200, 403, 401, 200, 404, 400, 200, 405, 405), statuses);
            for (HttpResponse<String> answer : answers) {
                assertActualCors(answer, "*");
            }
        }

        @Test
        void withoutAnOriginOnlyVaryIsAdded() throws Exception {
            HttpResponse<String> response = server.send("GET", "/.well-known/jwks.json", null);

            assertEquals(200, response.statusCode());
            assertNoCors(response);
            assertEquals(List.of("Origin"), response.headers().allValues("Vary"));
            assertEquals(Optional.of("public, max-age=600"), header(response, "Cache-Control"));
        }

        @Test
        void anOptionsRequestThatIsNoPreflightIsLeftToTheRouterWithTheHeadersOfAnActualRequest() throws Exception {
            HttpResponse<String> response = server.send("OPTIONS", "/token", null, "Origin", PAGE);

            assertEquals(405, response.statusCode());
            assertActualCors(response, "*");
        }

        @Test
        void adminOperationsAndUnknownRoutesAnswerNoBrowserByDefault() throws Exception {
            for (String path : List.of("/admin/sessions", "/admin/users/" + Fixtures.USER_ID, "/admin/sessions/" + Fixtures.SESSION_ID,
                    "/health", "/ready", "/metrics", "/openapi.json", "/nowhere", "/sessions/a/b", "/tokens")) {
                HttpResponse<String> refused = preflight(server, path, PAGE, "POST", SUPABASE_JS_HEADERS);
                assertTrue(refused.statusCode() == 404 || refused.statusCode() == 405, path + " " + refused.statusCode());
                assertNoCors(refused);
                assertEquals(List.of(), refused.headers().allValues("Vary"), path);
            }
            for (String path : List.of("/admin/sessions/" + Fixtures.SESSION_ID, "/health", "/openapi.json")) {
                HttpResponse<String> actual = server.send("GET", path, null, "Origin", PAGE, "Authorization", "Bearer " + TestServer.ADMIN_KEY);
                assertNoCors(actual);
                assertEquals(List.of(), actual.headers().allValues("Vary"), path);
            }
        }

        @Test
        void everyDocumentedClientRouteAnswersBrowsersAndNoOtherDocumentedRouteDoes() throws Exception {
            Set<String> client = new TreeSet<>();
            Set<String> other = new TreeSet<>();
            JsonNode paths = OpenApiContract.get().document().get("paths");
            paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
                String tag = operation.getValue().path("tags").path(0).asText();
                String concrete = path.getKey().replaceAll("\\{[^}/]*}", Fixtures.SESSION_ID.toString());
                String route = operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + concrete;
                boolean browsers = tag.equals("token") || tag.equals("self-service") || path.getKey().equals("/.well-known/jwks.json");
                (browsers ? client : other).add(route);
            }));
            assertEquals(6, client.size(), client.toString());
            assertTrue(OpenApiContract.get().document().at("/info/description").asText()
                    .contains("Access-Control-Expose-Headers: " + Cors.EXPOSED), "the document describes CORS");
            assertTrue(other.size() >= 15, other.toString());

            for (String route : client) {
                String[] parts = route.split(" ");
                assertAllowedPreflight(preflight(server, parts[1], PAGE, parts[0], SUPABASE_JS_HEADERS), "*", parts[0],
                        SUPABASE_JS_HEADERS);
            }
            for (String route : other) {
                String[] parts = route.split(" ");
                assertNoCors(preflight(server, parts[1], PAGE, parts[0], SUPABASE_JS_HEADERS));
            }
        }

        @Test
        void aPreflightIsCountedAsA204NotAsA405() throws Exception {
            String before = server.send("GET", "/metrics", null).body();
            for (int i = 0; i < 3; i++) {
                assertEquals(204, preflight(server, "/token", PAGE, "POST", SUPABASE_JS_HEADERS).statusCode());
            }
            String after = server.send("GET", "/metrics", null).body();

            assertEquals(count(before, "204") + 3, count(after, "204"), after);
            assertEquals(count(before, "405"), count(after, "405"), after);
        }

        private static double count(String metrics, String status) {
            String series = "http_server_requests_seconds_count{method=\"OPTIONS\",route=\"(no route)\",status=\"" + status + "\"} ";
            return metrics.lines().filter(line -> line.startsWith(series))
                    .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).sum();
        }
    }

    /** An operator's list of origins, an extra header, and the admin routes opened to browsers. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Configured {
        private TestServer server;

        @BeforeAll
        void start() {
            server = new TestServer(new CorsSettings(List.of(PAGE, "https://*.example.org", "http://localhost:3000"),
                    List.of("X-Request-Id"), true));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @BeforeEach
        void reset() {
            server.reset();
        }

        @Test
        void anAllowedOriginIsEchoedNotStarred() throws Exception {
            for (String origin : List.of(PAGE, "https://APP.example.com", "https://admin.eu.example.org", "http://localhost:3000")) {
                assertAllowedPreflight(preflight(server, "/token", origin, "POST", SUPABASE_JS_HEADERS), origin, "POST",
                        SUPABASE_JS_HEADERS);
                assertActualCors(server.send("GET", "/.well-known/jwks.json", null, "Origin", origin), origin);
            }
        }

        @Test
        void anOriginNotListedGetsNoAllowHeadersOnThePreflightNorOnTheAnswer() throws Exception {
            server.refresh.set(command -> grant());
            for (String origin : List.of("https://evil.example.net", "https://app.example.com.evil.net", "http://app.example.com",
                    "https://app.example.com:8443", "https://example.org", "http://localhost:3001", "null")) {
                HttpResponse<String> preflight = preflight(server, "/token", origin, "POST", SUPABASE_JS_HEADERS);
                assertEquals(204, preflight.statusCode(), origin);
                assertNoCors(preflight);
                assertEquals(List.of(PREFLIGHT_VARY), preflight.headers().allValues("Vary"), origin);

                HttpResponse<String> actual = server.send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"t\"}",
                        "Content-Type", "application/json", "Origin", origin);
                assertEquals(200, actual.statusCode(), "CORS is the browser's check; the server still answers");
                assertNoCors(actual);
                assertEquals(List.of("Origin"), actual.headers().allValues("Vary"), "a cache must not reuse it for another origin");
            }
        }

        @Test
        void theExtraHeaderIsAllowedAndOthersStillAreNot() throws Exception {
            String headers = SUPABASE_JS_HEADERS + ",x-request-id";
            assertAllowedPreflight(preflight(server, "/user", PAGE, "GET", headers), PAGE, "GET", headers);
            assertNoCors(preflight(server, "/user", PAGE, "GET", SUPABASE_JS_HEADERS + ",x-other"));
        }

        @Test
        void theAdminRoutesAnswerBrowsersWhenConfigured() throws Exception {
            assertAllowedPreflight(preflight(server, "/admin/sessions", PAGE, "POST", "authorization,content-type"), PAGE, "POST",
                    "authorization,content-type");
            assertAllowedPreflight(preflight(server, "/admin/users/" + Fixtures.USER_ID + "/sessions", PAGE, "DELETE", null), PAGE,
                    "DELETE", null);

            HttpResponse<String> unauthorized = server.send("DELETE", "/admin/sessions/" + Fixtures.SESSION_ID, null, "Origin", PAGE);
            assertEquals(401, unauthorized.statusCode());
            assertActualCors(unauthorized, PAGE);
        }

        @Test
        void operationsRoutesStillAnswerNoBrowser() throws Exception {
            for (String path : List.of("/health", "/ready", "/metrics", "/openapi.json")) {
                assertNoCors(preflight(server, path, PAGE, "GET", null));
                assertNoCors(server.send("GET", path, null, "Origin", PAGE));
            }
        }
    }

    @Test
    void settingsRefuseWhatCouldNeverMatchABrowsersOrigin() {
        assertEquals(List.of("https://app.example.com", "https://*.example.org"),
                new CorsSettings(List.of(" https://App.Example.com", "https://*.example.org"), List.of(), false).allowedOrigins());
        for (String bad : List.of("https://app.example.com/", "app.example.com", "https://app.example.com/path",
                "https://*.*.example.com", "", "https://user@app.example.com", "null")) {
            assertThrows(IllegalArgumentException.class, () -> CorsSettings.origins(List.of(bad)), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> CorsSettings.origins(List.of("*", PAGE)));
        assertThrows(IllegalArgumentException.class, () -> CorsSettings.origins(List.of()));
        for (String bad : List.of("x custom", "x-a*", "", "x:y")) {
            assertThrows(IllegalArgumentException.class, () -> CorsSettings.headers(List.of(bad)), bad);
        }
        assertEquals(List.of("*", "X-Request-Id"), CorsSettings.headers(List.of("*", " X-Request-Id ")));
    }

    @Test
    void anExtraHeaderStarAllowsAnyHeaderAsRsCorsDoes() throws Exception {
        try (TestServer server = new TestServer(new CorsSettings(CorsSettings.EVERY_ORIGIN, List.of("*"), false))) {
            assertAllowedPreflight(preflight(server, "/token", PAGE, "POST", "x-anything,x-else"), "*", "POST", "x-anything,x-else");
        }
    }
}
