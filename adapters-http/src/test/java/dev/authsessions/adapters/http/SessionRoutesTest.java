package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.DeleteUserSessionsUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The self-service and admin session routes over real sockets, every answer checked against the OpenAPI document. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SessionId OTHER_ID = SessionId.parse("bbbbbbbb-cccc-4ddd-8eee-ffffffffffff");
    private static final OAuthClientId CLIENT = OAuthClientId.parse("99999999-8888-4777-8666-555555555555");
    private static final FactorId FACTOR = FactorId.parse("12121212-3434-4565-8787-909090909090");
    private static final Instant T = Instant.parse("2024-05-01T10:00:00.123456Z");

    private TestServer server;
    private final OpenApiContract openApi = OpenApiContract.get();

    /** Use cases for servers whose tests never reach the session routes. */
    static SessionUseCases unusedSessionUseCases() {
        return new SessionUseCases(
                caller -> {
                    throw new UnsupportedOperationException();
                },
                (caller, id) -> {
                    throw new UnsupportedOperationException();
                },
                id -> {
                    throw new UnsupportedOperationException();
                },
                query -> {
                    throw new UnsupportedOperationException();
                },
                id -> {
                    throw new UnsupportedOperationException();
                },
                command -> {
                    throw new UnsupportedOperationException();
                });
    }

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

    /** The caller's session (Fixtures.SESSION_ID) with two claims, and another one with every column set. */
    private static List<SessionDetails> twoSessions() {
        Session other = new Session(OTHER_ID, Fixtures.USER_ID, T.plusSeconds(60), T.plusSeconds(61), FACTOR, Aal.AAL2,
                T.plusSeconds(86_400), T.plusSeconds(62), "curl/8", "2001:db8::1", "mobile", CLIENT, HmacKey.of(new byte[32]), 9,
                new Scopes("openid email"));
        return List.of(
                new SessionDetails(other, List.of(new AmrClaim(AuthenticationMethod.OAUTH, T.plusSeconds(60)))),
                new SessionDetails(Fixtures.session(1), List.of(
                        new AmrClaim(AuthenticationMethod.PASSWORD, T),
                        new AmrClaim(AuthenticationMethod.TOTP, T.plusSeconds(30)))));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String errorCode) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(errorCode, response.headers().firstValue("x-sb-error-code").orElse(null));
        assertEquals(errorCode, json(response).get("error_code").asText());
    }

    // ---------------------------------------------------------------- GET /sessions

    @Test
    void theCallerListsTheirSessionsNewestFirstWithTheCurrentOneMarked() throws Exception {
        AtomicReference<ListOwnSessionsUseCase.Query> seen = new AtomicReference<>();
        server.listOwn.set(query -> {
            seen.set(query);
            return new ListOwnSessionsUseCase.Page(twoSessions(), null);
        });

        HttpResponse<String> response = server.asUser("GET", "/sessions");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(Fixtures.SESSION_ID, seen.get().caller().session().id());
        assertEquals(100, seen.get().limit(), "the default limit");
        assertNull(seen.get().cursor());
        assertTrue(json(response).get("next_cursor").isNull());
        JsonNode sessions = json(response).get("sessions");
        assertEquals(2, sessions.size());
        JsonNode other = sessions.get(0);
        assertEquals(OTHER_ID.toString(), other.get("id").asText());
        assertFalse(other.get("current").asBoolean());
        assertEquals("2024-05-01T10:01:00.123456Z", other.get("created_at").asText());
        assertEquals("2024-05-01T10:01:02.123456Z", other.get("refreshed_at").asText());
        assertEquals("2024-05-02T10:00:00.123456Z", other.get("not_after").asText());
        assertEquals("aal2", other.get("aal").asText());
        assertEquals("2001:db8::1", other.get("ip").asText());
        assertEquals("curl/8", other.get("user_agent").asText());
        assertEquals("mobile", other.get("tag").asText());
        assertEquals(CLIENT.toString(), other.get("oauth_client_id").asText());
        assertFalse(other.has("scopes") || other.has("factor_id") || other.has("refresh_token_hmac_key")
                || other.has("refresh_token_counter"), other.toString());
        JsonNode current = sessions.get(1);
        assertTrue(current.get("current").asBoolean());
        assertTrue(current.get("refreshed_at").isNull() && current.get("not_after").isNull() && current.get("tag").isNull()
                && current.get("oauth_client_id").isNull(), current.toString());
        assertEquals(JSON.readTree("[{\"method\":\"totp\",\"timestamp\":1714557630},{\"method\":\"password\",\"timestamp\":1714557600}]"),
                current.get("amr"));
        openApi.assertConforms("GET", "/sessions", response);
    }

    @Test
    void aUserWithoutSessionsGetsAnEmptyList() throws Exception {
        server.listOwn.set(query -> new ListOwnSessionsUseCase.Page(List.of(), null));

        HttpResponse<String> response = server.asUser("GET", "/sessions");

        assertEquals(200, response.statusCode());
        assertEquals(JSON.readTree("{\"sessions\":[],\"next_cursor\":null}"), json(response));
        openApi.assertConforms("GET", "/sessions", response);
    }

    @Test
    void theLimitAndCursorReachTheUseCaseAndTheNextCursorTheCaller() throws Exception {
        AtomicReference<ListOwnSessionsUseCase.Query> seen = new AtomicReference<>();
        server.listOwn.set(query -> {
            seen.set(query);
            return new ListOwnSessionsUseCase.Page(twoSessions(), "AQAGDm-next-cursor");
        });

        HttpResponse<String> response = server.asUser("GET", "/sessions?limit=2&cursor=AQAGDm_some-cursor");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(2, seen.get().limit());
        assertEquals("AQAGDm_some-cursor", seen.get().cursor());
        assertEquals("AQAGDm-next-cursor", json(response).get("next_cursor").asText());
        assertTrue(json(response).get("sessions").get(1).get("current").asBoolean(), "current still marks the caller's session");
        openApi.assertConforms("GET", "/sessions", response);

        seen.set(null);
        assertError(server.asUser("GET", "/sessions?limit=&cursor="), 400, "validation_failed");
        assertNull(seen.get(), "an empty parameter is refused, not read as absent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=ten", "limit=1.5", "limit=0x10", "limit=99999999999", "limit=%20"})
    void aLimitThatIsNotAnIntegerIsRefusedBeforeTheUseCase(String query) throws Exception {
        HttpResponse<String> response = server.asUser("GET", "/sessions?" + query);

        assertError(response, 400, "validation_failed");
        openApi.assertConforms("GET", "/sessions", response);
    }

    @Test
    void theUseCasesRefusalOfALimitOrCursorIsA400() throws Exception {
        server.listOwn.set(query -> {
            throw Rejection.validation("cursor is not valid");
        });

        HttpResponse<String> response = server.asUser("GET", "/sessions?cursor=garbage");

        assertError(response, 400, "validation_failed");
        assertEquals("cursor is not valid", json(response).get("msg").asText());
        openApi.assertConforms("GET", "/sessions", response);
    }

    // ---------------------------------------------------------------- Bearer checks on both self-service routes

    static Stream<Arguments> bearerRefusals() {
        return Stream.of(
                Arguments.of("expired.jwt", ErrorCode.BAD_JWT),
                Arguments.of("deleted.session.jwt", ErrorCode.SESSION_NOT_FOUND),
                Arguments.of("deleted.user.jwt", ErrorCode.USER_NOT_FOUND),
                Arguments.of("banned.user.jwt", ErrorCode.USER_BANNED));
    }

    @ParameterizedTest
    @MethodSource("bearerRefusals")
    void aTokenTheAuthenticationRefusesIsForbiddenOnBothRoutes(String token, ErrorCode code) throws Exception {
        server.authenticate.set(presented -> {
            assertEquals(token, presented);
            throw Rejection.forbidden(code, "refused: " + code.value());
        });

        for (String[] route : List.of(new String[] {"GET", "/sessions"}, new String[] {"DELETE", "/sessions/" + OTHER_ID})) {
            HttpResponse<String> response = server.send(route[0], route[1], null, "Authorization", "Bearer " + token);

            assertError(response, 403, code.value());
            assertFalse(response.body().contains(token));
            openApi.assertConforms(route[0], route[0].equals("GET") ? "/sessions" : "/sessions/{id}", response);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer    "})
    void aMissingBearerTokenIsNoAuthorizationOnBothRoutes(String authorization) throws Exception {
        String[] headers = authorization.isEmpty() ? new String[0] : new String[] {"Authorization", authorization};

        HttpResponse<String> list = server.send("GET", "/sessions", null, headers);
        HttpResponse<String> end = server.send("DELETE", "/sessions/not-even-a-uuid", null, headers);

        assertError(list, 401, "no_authorization");
        assertError(end, 401, "no_authorization");
        openApi.assertConforms("GET", "/sessions", list);
        openApi.assertConforms("DELETE", "/sessions/{id}", end);
    }

    @Test
    void theDatedApiGetsItsErrorShapeOnTheSelfServiceRoutes() throws Exception {
        HttpResponse<String> response = server.send("GET", "/sessions", null, "X-Supabase-Api-Version", "2024-01-01");

        assertEquals(401, response.statusCode());
        assertEquals(JSON.readTree("{\"code\":\"no_authorization\",\"message\":\"This endpoint requires a valid Bearer token\"}"),
                json(response));
        assertEquals("2024-01-01", response.headers().firstValue("X-Supabase-Api-Version").orElse(null));
        openApi.assertConforms("GET", "/sessions", response);
    }

    // ---------------------------------------------------------------- DELETE /sessions/{id}

    @Test
    void theCallerEndsOneOfTheirSessions() throws Exception {
        List<Object> calls = new ArrayList<>();
        server.endOwn.set((caller, id) -> {
            calls.add(caller.session().id());
            calls.add(id);
        });

        HttpResponse<String> response = server.asUser("DELETE", "/sessions/" + OTHER_ID);

        assertEquals(204, response.statusCode(), response.body());
        assertEquals(List.of(Fixtures.SESSION_ID, OTHER_ID), calls);
        openApi.assertConforms("DELETE", "/sessions/{id}", response);
    }

    @Test
    void someoneElsesOrAnUnknownSessionIsNotFound() throws Exception {
        server.endOwn.set((caller, id) -> {
            throw Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found");
        });

        HttpResponse<String> response = server.asUser("DELETE", "/sessions/" + OTHER_ID);

        assertError(response, 404, "session_not_found");
        openApi.assertConforms("DELETE", "/sessions/{id}", response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "1-1-1-1-1", "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff0", "%20"})
    void aMalformedSessionIdIsRefusedWithoutCallingTheUseCase(String id) throws Exception {
        HttpResponse<String> response = server.asUser("DELETE", "/sessions/" + id);

        assertError(response, 400, "validation_failed");
        assertTrue(json(response).get("msg").asText().contains("session id"), response.body());
        openApi.assertConforms("DELETE", "/sessions/{id}", response);
    }

    // ---------------------------------------------------------------- admin key on every admin session route

    static Stream<Arguments> adminRoutes() {
        String session = "/admin/sessions/" + OTHER_ID;
        String userSessions = "/admin/users/" + Fixtures.USER_ID + "/sessions";
        return Stream.of(
                Arguments.of("GET", session, "/admin/sessions/{id}"),
                Arguments.of("DELETE", session, "/admin/sessions/{id}"),
                Arguments.of("GET", userSessions, "/admin/users/{id}/sessions"),
                Arguments.of("DELETE", userSessions, "/admin/users/{id}/sessions"));
    }

    @ParameterizedTest
    @MethodSource("adminRoutes")
    void adminRoutesRefuseAMissingOrWrongKeyAndAUserToken(String method, String path, String template) throws Exception {
        for (String[] headers : List.of(new String[0], new String[] {"Authorization", "Bearer wrong-key"},
                new String[] {"Authorization", "Bearer " + TestServer.ACCESS_TOKEN})) {
            HttpResponse<String> response = server.send(method, path, null, headers);

            assertError(response, 401, "no_authorization");
            openApi.assertConforms(method, template, response);
        }
    }

    @ParameterizedTest
    @MethodSource("adminRoutes")
    void adminRoutesRefuseAMalformedIdInThePath(String method, String path, String template) throws Exception {
        String malformed = path.replace(OTHER_ID.toString(), "123").replace(Fixtures.USER_ID.toString(), "123");

        HttpResponse<String> response = server.asAdmin(method, malformed);

        assertError(response, 400, "validation_failed");
        openApi.assertConforms(method, template, response);
    }

    // ---------------------------------------------------------------- GET / DELETE /admin/sessions/{id}

    @Test
    void anAdminReadsASessionWithItsClaims() throws Exception {
        server.read.set(id -> {
            assertEquals(OTHER_ID, id);
            return twoSessions().get(0);
        });

        HttpResponse<String> response = server.asAdmin("GET", "/admin/sessions/" + OTHER_ID);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals(Fixtures.USER_ID.toString(), body.get("user_id").asText());
        assertEquals(FACTOR.toString(), body.get("factor_id").asText());
        assertEquals("openid email", body.get("scopes").asText());
        assertEquals(JSON.readTree("[{\"method\":\"oauth\",\"timestamp\":1714557660}]"), body.get("amr"));
        assertFalse(body.has("current") || body.has("refresh_token_hmac_key") || body.has("refresh_token_counter"));
        openApi.assertConforms("GET", "/admin/sessions/{id}", response);
    }

    @Test
    void anAdminReadingOrDeletingAnUnknownSessionGetsNotFound() throws Exception {
        server.read.set(id -> {
            throw Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found");
        });
        server.delete.set(id -> {
            throw Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found");
        });

        HttpResponse<String> read = server.asAdmin("GET", "/admin/sessions/" + OTHER_ID);
        HttpResponse<String> delete = server.asAdmin("DELETE", "/admin/sessions/" + OTHER_ID);

        assertError(read, 404, "session_not_found");
        assertError(delete, 404, "session_not_found");
        openApi.assertConforms("GET", "/admin/sessions/{id}", read);
        openApi.assertConforms("DELETE", "/admin/sessions/{id}", delete);
    }

    @Test
    void anAdminDeletesASession() throws Exception {
        AtomicReference<SessionId> deleted = new AtomicReference<>();
        server.delete.set(deleted::set);

        HttpResponse<String> response = server.asAdmin("DELETE", "/admin/sessions/" + OTHER_ID);

        assertEquals(204, response.statusCode(), response.body());
        assertEquals(OTHER_ID, deleted.get());
        openApi.assertConforms("DELETE", "/admin/sessions/{id}", response);
    }

    // ---------------------------------------------------------------- GET /admin/users/{id}/sessions

    @Test
    void aPageCarriesItsSessionsAndTheNextCursor() throws Exception {
        AtomicReference<ListUserSessionsUseCase.Query> seen = new AtomicReference<>();
        server.listOfUser.set(query -> {
            seen.set(query);
            return new ListUserSessionsUseCase.Page(twoSessions(), "AQAGDm-next-cursor");
        });

        HttpResponse<String> response = server.asAdmin("GET", "/admin/users/" + Fixtures.USER_ID + "/sessions");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(new ListUserSessionsUseCase.Query(Fixtures.USER_ID, 100, null), seen.get());
        JsonNode body = json(response);
        assertEquals("AQAGDm-next-cursor", body.get("next_cursor").asText());
        assertEquals(List.of(OTHER_ID.toString(), Fixtures.SESSION_ID.toString()),
                List.of(body.get("sessions").get(0).get("id").asText(), body.get("sessions").get(1).get("id").asText()));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        openApi.assertConforms("GET", "/admin/users/{id}/sessions", response);
    }

    @Test
    void theLastPageHasANullCursorAndTheLimitAndCursorArePassedOn() throws Exception {
        AtomicReference<ListUserSessionsUseCase.Query> seen = new AtomicReference<>();
        server.listOfUser.set(query -> {
            seen.set(query);
            return new ListUserSessionsUseCase.Page(List.of(), null);
        });

        HttpResponse<String> response = server.asAdmin("GET",
                "/admin/users/" + Fixtures.USER_ID + "/sessions?limit=1000&cursor=AQAGDm_some-cursor");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(new ListUserSessionsUseCase.Query(Fixtures.USER_ID, 1000, "AQAGDm_some-cursor"), seen.get());
        JsonNode body = json(response);
        assertTrue(body.has("next_cursor") && body.get("next_cursor").isNull(), response.body());
        assertEquals(0, body.get("sessions").size());
        openApi.assertConforms("GET", "/admin/users/{id}/sessions", response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=", "cursor=", "limit", "limit=&cursor=", "limit=5&limit=5", "cursor=a&cursor=b", "limit=5&cursor=a&limit="})
    void anEmptyOrRepeatedLimitOrCursorIsRefusedWithoutCallingTheUseCase(String query) throws Exception {
        HttpResponse<String> response = server.asAdmin("GET", "/admin/users/" + Fixtures.USER_ID + "/sessions?" + query);

        assertError(response, 400, "validation_failed");
        String message = json(response).get("msg").asText();
        assertTrue(message.contains("\"limit\"") || message.contains("\"cursor\""), message);
        openApi.assertConforms("GET", "/admin/users/{id}/sessions", response);
    }

    @Test
    void aReadIgnoresParametersItDoesNotRead() throws Exception {
        AtomicReference<ListUserSessionsUseCase.Query> seen = new AtomicReference<>();
        server.listOfUser.set(query -> {
            seen.set(query);
            return new ListUserSessionsUseCase.Page(List.of(), null);
        });

        HttpResponse<String> response = server.asAdmin("GET", "/admin/users/" + Fixtures.USER_ID + "/sessions?Limit=5&_=1&limit=7&");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(new ListUserSessionsUseCase.Query(Fixtures.USER_ID, 7, null), seen.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "1e3", "99999999999", "0x10", "%201"})
    void aLimitThatIsNotAnIntegerIsRefusedWithoutCallingTheUseCase(String limit) throws Exception {
        HttpResponse<String> response = server.asAdmin("GET", "/admin/users/" + Fixtures.USER_ID + "/sessions?limit=" + limit);

        assertError(response, 400, "validation_failed");
        assertTrue(json(response).get("msg").asText().contains("limit"), response.body());
        openApi.assertConforms("GET", "/admin/users/{id}/sessions", response);
    }

    @Test
    void theUseCasesRefusalsOfTheLimitCursorAndUserAreAnswered() throws Exception {
        List<Integer> limits = new ArrayList<>();
        server.listOfUser.set(query -> {
            limits.add(query.limit());
            if (query.cursor() != null) {
                throw Rejection.validation("cursor is not a cursor this server wrote");
            }
            if (query.limit() < 1 || query.limit() > 1000) {
                throw Rejection.validation("limit must be between 1 and 1000");
            }
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        });
        String path = "/admin/users/" + Fixtures.USER_ID + "/sessions";

        HttpResponse<String> zero = server.asAdmin("GET", path + "?limit=0");
        HttpResponse<String> tooMany = server.asAdmin("GET", path + "?limit=1001");
        HttpResponse<String> garbage = server.asAdmin("GET", path + "?cursor=garbage");
        HttpResponse<String> unknownUser = server.asAdmin("GET", path);

        assertError(zero, 400, "validation_failed");
        assertError(tooMany, 400, "validation_failed");
        assertError(garbage, 400, "validation_failed");
        assertError(unknownUser, 404, "user_not_found");
        assertEquals(List.of(0, 1001, 100, 100), limits);
        for (HttpResponse<String> response : List.of(zero, tooMany, garbage, unknownUser)) {
            openApi.assertConforms("GET", "/admin/users/{id}/sessions", response);
        }
    }

    // ---------------------------------------------------------------- DELETE /admin/users/{id}/sessions

    @Test
    void allOfAUsersSessionsOrFilteredOnesAreDeleted() throws Exception {
        List<DeleteUserSessionsUseCase.Command> commands = new ArrayList<>();
        server.deleteOfUser.set(command -> {
            commands.add(command);
            return 3;
        });
        String path = "/admin/users/" + Fixtures.USER_ID + "/sessions";

        List<HttpResponse<String>> responses = List.of(
                server.asAdmin("DELETE", path),
                server.asAdmin("DELETE", path + "?oauth_client_id=" + CLIENT),
                server.asAdmin("DELETE", path + "?except=" + OTHER_ID),
                server.asAdmin("DELETE", path + "?oauth_client_id=" + CLIENT + "&except=" + OTHER_ID),
                server.asAdmin("DELETE", path + "?except=" + OTHER_ID + "&"),
                server.send("DELETE", path, "{ }", "Authorization", "Bearer " + TestServer.ADMIN_KEY));

        for (HttpResponse<String> response : responses) {
            assertEquals(204, response.statusCode(), response.body());
            openApi.assertConforms("DELETE", "/admin/users/{id}/sessions", response);
        }
        assertEquals(List.of(
                new DeleteUserSessionsUseCase.Command(Fixtures.USER_ID, null, null),
                new DeleteUserSessionsUseCase.Command(Fixtures.USER_ID, CLIENT, null),
                new DeleteUserSessionsUseCase.Command(Fixtures.USER_ID, null, OTHER_ID),
                new DeleteUserSessionsUseCase.Command(Fixtures.USER_ID, CLIENT, OTHER_ID),
                new DeleteUserSessionsUseCase.Command(Fixtures.USER_ID, null, OTHER_ID),
                new DeleteUserSessionsUseCase.Command(Fixtures.USER_ID, null, null)), commands);
    }

    /** {query, what the message must name}: each would have deleted all of the user's sessions (the fake fails if called). */
    static Stream<Arguments> filtersTheDeleteCannotRead() {
        return Stream.of(
                Arguments.of("except=", "\"except\""),
                Arguments.of("oauth_client_id=", "\"oauth_client_id\""),
                Arguments.of("oauth_client_id=&except=", "\"oauth_client_id\""),
                Arguments.of("except", "\"except\""),
                Arguments.of("except=" + OTHER_ID + "&except=" + OTHER_ID, "\"except\""),
                Arguments.of("except=" + OTHER_ID + "&except=", "\"except\""),
                Arguments.of("oauth_client_id=" + CLIENT + "&oauth_client_id=" + CLIENT, "\"oauth_client_id\""),
                Arguments.of("Except=" + OTHER_ID, "\"Except\" (names are case-sensitive: except)"),
                Arguments.of("EXCEPT=" + OTHER_ID, "\"EXCEPT\""),
                Arguments.of("exept=" + OTHER_ID, "\"exept\""),
                Arguments.of("except%5B%5D=" + OTHER_ID, "\"except[]\""),
                Arguments.of("except=" + OTHER_ID + "&oauth_client=" + CLIENT, "\"oauth_client\""),
                Arguments.of("=" + OTHER_ID, "\"\""),
                Arguments.of("session_id=" + OTHER_ID, "\"session_id\""));
    }

    @ParameterizedTest
    @MethodSource("filtersTheDeleteCannotRead")
    void aFilterTheDeleteCannotReadExactlyIsRefusedWithoutDeletingAnything(String query, String named) throws Exception {
        HttpResponse<String> response = server.asAdmin("DELETE", "/admin/users/" + Fixtures.USER_ID + "/sessions?" + query);

        assertError(response, 400, "validation_failed");
        assertTrue(json(response).get("msg").asText().contains(named), response.body());
        openApi.assertConforms("DELETE", "/admin/users/{id}/sessions", response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"except\":\"bbbbbbbb-cccc-4ddd-8eee-ffffffffffff\"}", "except=bbbbbbbb-cccc-4ddd-8eee-ffffffffffff", "[]", "null"})
    void aFilterSentInTheBodyIsRefusedWithoutDeletingAnything(String body) throws Exception {
        for (String path : List.of("/admin/users/" + Fixtures.USER_ID + "/sessions", "/admin/sessions/" + OTHER_ID)) {
            HttpResponse<String> response = server.send("DELETE", path, body, "Authorization", "Bearer " + TestServer.ADMIN_KEY);

            assertError(response, 400, "validation_failed");
            assertTrue(json(response).get("msg").asText().contains("no request body"), response.body());
        }
        HttpResponse<String> own = server.send("DELETE", "/sessions/" + OTHER_ID, body, "Authorization", "Bearer " + TestServer.ACCESS_TOKEN);
        assertError(own, 400, "validation_failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id=" + "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff", "except=", "x", "="})
    void deletingOneSessionTakesNoQueryParameters(String query) throws Exception {
        HttpResponse<String> admin = server.asAdmin("DELETE", "/admin/sessions/" + OTHER_ID + "?" + query);
        HttpResponse<String> own = server.asUser("DELETE", "/sessions/" + OTHER_ID + "?" + query);

        assertError(admin, 400, "validation_failed");
        assertError(own, 400, "validation_failed");
        assertTrue(json(admin).get("msg").asText().contains("takes no query parameters"), admin.body());
        openApi.assertConforms("DELETE", "/admin/sessions/{id}", admin);
        openApi.assertConforms("DELETE", "/sessions/{id}", own);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oauth_client_id=nope", "except=nope", "oauth_client_id=" + "99999999-8888-4777-8666-55555555555",
            "except=bbbbbbbb-cccc-4ddd-8eee-ffffffffffff&oauth_client_id=x"})
    void aMalformedFilterIdIsRefusedWithoutDeletingAnything(String query) throws Exception {
        HttpResponse<String> response = server.asAdmin("DELETE", "/admin/users/" + Fixtures.USER_ID + "/sessions?" + query);

        assertError(response, 400, "validation_failed");
        openApi.assertConforms("DELETE", "/admin/users/{id}/sessions", response);
    }

    @Test
    void anUnknownUserClientOrKeptSessionIsNotFound() throws Exception {
        List<ErrorCode> codes = List.of(ErrorCode.USER_NOT_FOUND, ErrorCode.OAUTH_CLIENT_NOT_FOUND, ErrorCode.SESSION_NOT_FOUND);
        for (ErrorCode code : codes) {
            server.deleteOfUser.set(command -> {
                throw Rejection.notFound(code, "not found");
            });

            HttpResponse<String> response = server.asAdmin("DELETE", "/admin/users/" + Fixtures.USER_ID + "/sessions");

            assertError(response, 404, code.value());
            openApi.assertConforms("DELETE", "/admin/users/{id}/sessions", response);
        }
    }

    @Test
    void unexpectedFailuresAreDocumented500sWithAnErrorId() throws Exception {
        server.read.set(id -> {
            throw new IllegalStateException("boom");
        });

        HttpResponse<String> response = server.asAdmin("GET", "/admin/sessions/" + OTHER_ID);

        assertError(response, 500, "unexpected_failure");
        assertTrue(json(response).get("error_id").asText().matches("[0-9a-f-]{36}"));
        assertNull(json(response).get("stack"));
        openApi.assertConforms("GET", "/admin/sessions/{id}", response);
    }

    @Test
    void theUseCaseGroupRefusesAMissingUseCase() {
        SessionUseCases all = unusedSessionUseCases();
        assertThrows(NullPointerException.class, () -> new SessionUseCases(
                all.listOwn(), all.endOwn(), all.read(), all.listOfUser(), all.delete(), null));
    }
}
