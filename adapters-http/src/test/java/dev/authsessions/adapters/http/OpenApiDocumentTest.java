package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.application.port.out.StorageUnavailableException;
import dev.authsessions.domain.ReuseCause;
import io.javalin.router.ParsedEndpoint;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.AssertionFailedError;

/**
 * {@code GET /openapi.json} against the live server: the same routes in both, the document consistent in
 * itself, and real answers of every older route (token, logout, user, admin users and sessions, operations,
 * every error shape) valid against their documented schemas. The session routes' answers are checked in
 * {@link SessionRoutesTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {
    /**
     * Documented routes being built on branch h2 and not served here yet. Delete this set when h2 is merged:
     * the test then requires every one of them to be served (and fails while this set names a served route).
     */
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenApiContract openApi = OpenApiContract.get();
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

    /** {@code /admin/users/{id}} and {@code /admin/users/{user_id}} name the same route. */
    private static String normalized(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}/]*}", "{}");
    }

    private Set<String> liveRoutes() {
        Set<String> live = new TreeSet<>();
        for (ParsedEndpoint parsed : server.server().javalin().unsafe.internalRouter.allHttpHandlers()) {
            if (parsed.endpoint.method.isHttpMethod()) {
                live.add(normalized(parsed.endpoint.method.name(), parsed.endpoint.path));
            }
        }
        return live;
    }

    private Set<String> documentedRoutes() {
        Set<String> documented = new TreeSet<>();
        openApi.document().get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                documented.add(normalized(method, path.getKey()));
            }
        }));
        return documented;
    }

    // ---------------------------------------------------------------- the routes

    @Test
    void everyLiveRouteIsDocumented() {
        Set<String> live = liveRoutes();
        assertTrue(live.size() >= 15, "the router walk found too few routes to mean anything: " + live);
        Set<String> undocumented = new TreeSet<>(live);
        undocumented.removeAll(documentedRoutes());

        assertEquals(Set.of(), undocumented, "served but not in openapi.json");
    }

    @Test
    void everyDocumentedRouteIsServed() {
        Set<String> unserved = new TreeSet<>(documentedRoutes());
        unserved.removeAll(liveRoutes());

        assertEquals(Set.of(), unserved, "in openapi.json but not served");
    }

    @Test
    void theServerServesTheDocument() throws Exception {
        HttpResponse<String> response = server.send("GET", "/openapi.json", null);

        assertEquals(200, response.statusCode());
        assertEquals(openApi.document(), JSON.readTree(response.body()));
        assertEquals("3.1.0", openApi.document().get("openapi").asText());
        openApi.assertConforms("GET", "/openapi.json", response);
    }

    // ---------------------------------------------------------------- the document in itself

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        walk(openApi.document(), node -> {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.asText().startsWith("#/") || openApi.document().at(ref.asText().substring(1)).isMissingNode())) {
                broken.add(ref.asText());
            }
        });
        assertEquals(List.of(), broken);
    }

    @Test
    void everyOperationHasAUniqueIdASecurityRequirementResponsesAndItsPathParameters() {
        Set<String> operationIds = new TreeSet<>();
        openApi.document().get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String where = op.getKey() + " " + path.getKey();
            JsonNode operation = op.getValue();
            assertTrue(operationIds.add(operation.get("operationId").asText()), "duplicate operationId at " + where);
            assertTrue(operation.has("security"), "no security requirement at " + where);
            assertFalse(operation.get("responses").isEmpty(), "no responses at " + where);
            Set<String> declared = new TreeSet<>();
            for (JsonNode parameter : operation.path("parameters")) {
                JsonNode resolved = parameter.has("$ref") ? openApi.document().at(parameter.get("$ref").asText().substring(1)) : parameter;
                if (resolved.get("in").asText().equals("path")) {
                    assertTrue(resolved.get("required").asBoolean(), "optional path parameter at " + where);
                    declared.add(resolved.get("name").asText());
                }
                assertTrue(resolved.has("schema"), "parameter without schema at " + where);
            }
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            assertEquals(inTemplate, declared, "path parameters of " + where);
            for (String scheme : securitySchemesOf(operation)) {
                assertTrue(openApi.document().at("/components/securitySchemes/" + scheme).isObject(), scheme + " at " + where);
            }
        }));
        assertTrue(operationIds.size() >= 20, operationIds.toString());
    }

    private static Set<String> securitySchemesOf(JsonNode operation) {
        Set<String> schemes = new TreeSet<>();
        for (JsonNode requirement : operation.get("security")) {
            requirement.fieldNames().forEachRemaining(schemes::add);
        }
        return schemes;
    }

    @Test
    void everyErrorCodeOfTheServerIsNamedInTheDocument() {
        String codes = openApi.document().at("/components/schemas/ErrorCode/description").asText();
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(codes.contains("`" + code.value() + "`"), code.value());
        }
    }

    private static void walk(JsonNode node, java.util.function.Consumer<JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                walk(it.next(), visit);
            }
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, visit));
        }
    }

    // ---------------------------------------------------------------- the oracle can fail

    @Test
    void theSchemasRefuseWhatTheServerMustNotSend() {
        String session = "{\"id\":\"" + Fixtures.SESSION_ID + "\",\"user_id\":\"" + Fixtures.USER_ID + "\","
                + "\"created_at\":\"2024-05-01T10:00:00Z\",\"updated_at\":\"2024-05-01T10:00:00Z\",\"refreshed_at\":null,"
                + "\"user_agent\":null,\"ip\":null,\"aal\":\"aal1\",\"factor_id\":null,\"amr\":[],\"not_after\":null,\"tag\":null,"
                + "\"oauth_client_id\":null,\"scopes\":null}";
        String schema = "/components/schemas/SessionDetails";
        assertEquals(List.of(), openApi.validate(schema, session));
        assertFalse(openApi.validate(schema, session.replace(",\"amr\":[]", "")).isEmpty(), "missing amr");
        assertFalse(openApi.validate(schema, session.replace("\"aal1\"", "\"aal9\"")).isEmpty(), "unknown aal");
        assertFalse(openApi.validate(schema, session.replace("\"id\":\"" + Fixtures.SESSION_ID, "\"id\":\"xyz")).isEmpty(), "bad uuid");
        assertFalse(openApi.validate(schema, session.replace("2024-05-01T10:00:00Z\",\"updated", "yesterday\",\"updated")).isEmpty(),
                "bad date-time");
        assertFalse(openApi.validate(schema, session.replace("}", ",\"refresh_token_hmac_key\":\"k\"}")).isEmpty(), "a secret");
        String error = "/components/schemas/Error";
        assertEquals(List.of(), openApi.validate(error, "{\"code\":404,\"error_code\":\"session_not_found\",\"msg\":\"x\"}"));
        assertEquals(List.of(), openApi.validate(error, "{\"code\":\"session_not_found\",\"message\":\"x\"}"));
        assertFalse(openApi.validate(error, "{\"code\":\"404\",\"error_code\":\"session_not_found\",\"msg\":\"x\"}").isEmpty());
        assertFalse(openApi.validate(error, "{\"error\":\"invalid_client\",\"error_description\":\"x\"}").isEmpty());
    }

    @Test
    void anUndocumentedStatusOrOperationFails() throws Exception {
        server.read.set(id -> {
            throw new Rejection(Rejection.Kind.CONFLICT, ErrorCode.CONFLICT, "not a documented answer of this route");
        });
        HttpResponse<String> conflict = server.asAdmin("GET", "/admin/sessions/" + Fixtures.SESSION_ID);

        assertEquals(409, conflict.statusCode());
        assertThrows(AssertionFailedError.class, () -> openApi.assertConforms("GET", "/admin/sessions/{id}", conflict));
        assertThrows(AssertionFailedError.class, () -> openApi.assertConforms("PATCH", "/admin/sessions/{id}", conflict));
    }

    // ---------------------------------------------------------------- real answers of the older routes

    private static TokenGrant grant(boolean withReuse) {
        return new TokenGrant("signed.access.jwt", Instant.parse("2030-01-01T01:00:00Z"), 3600, "refresh-token-v2",
                Fixtures.user(), Fixtures.session(5), withReuse, withReuse ? List.of(ReuseCause.CONCURRENT_REFRESH) : List.of());
    }

    @Test
    void tokenAnswersConform() throws Exception {
        server.refresh.set(command -> grant(false));
        HttpResponse<String> ok = server.send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"t\"}",
                "Content-Type", "application/json");
        server.refresh.set(command -> grant(true));
        HttpResponse<String> reused = server.send("POST", "/token", "grant_type=refresh_token&refresh_token=t",
                "Content-Type", "application/x-www-form-urlencoded");
        server.refresh.set(command -> {
            throw Rejection.badRequest(ErrorCode.REFRESH_TOKEN_NOT_FOUND, "Invalid Refresh Token: Refresh Token Not Found");
        });
        HttpResponse<String> notFound = server.send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"t\"}",
                "Content-Type", "application/json");
        HttpResponse<String> dated = server.send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"t\"}",
                "Content-Type", "application/json", "X-Supabase-Api-Version", "2024-01-01");
        server.refresh.set(command -> {
            throw Rejection.badRequest(ErrorCode.INVALID_CLIENT, "client authentication failed");
        });
        HttpResponse<String> oauth = server.send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"t\"}",
                "Content-Type", "application/json");
        server.refresh.set(command -> {
            throw new Rejection(Rejection.Kind.CONFLICT, ErrorCode.CONFLICT, "try again");
        });
        HttpResponse<String> conflict = server.send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"t\"}",
                "Content-Type", "application/json");
        server.refresh.set(command -> {
            throw new StorageUnavailableException("down", null);
        });
        HttpResponse<String> down = server.send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"t\"}",
                "Content-Type", "application/json");
        HttpResponse<String> badJson = server.send("POST", "/token?grant_type=refresh_token", "{", "Content-Type", "application/json");
        HttpResponse<String> wrongType = server.send("POST", "/token?grant_type=refresh_token", "x", "Content-Type", "text/plain");
        HttpResponse<String> tooLarge = server.send("POST", "/token?grant_type=refresh_token", "x".repeat(9000),
                "Content-Type", "application/json");

        assertEquals(List.of(200, 200, 400, 400, 400, 409, 503, 400, 400, 413), List.of(ok.statusCode(), reused.statusCode(),
                notFound.statusCode(), dated.statusCode(), oauth.statusCode(), conflict.statusCode(), down.statusCode(),
                badJson.statusCode(), wrongType.statusCode(), tooLarge.statusCode()));
        assertEquals("invalid_client", JSON.readTree(oauth.body()).get("error").asText());
        assertEquals("concurrent-refresh", reused.headers().firstValue("sb-auth-refresh-token-reuse-cause").orElseThrow());
        for (HttpResponse<String> response : List.of(ok, reused, notFound, dated, oauth, conflict, down, badJson, wrongType,
                tooLarge)) {
            openApi.assertConforms("POST", "/token", response);
        }
    }

    @Test
    void userAndLogoutAnswersConform() throws Exception {
        server.logout.set((caller, scope) -> { });
        HttpResponse<String> user = server.asUser("GET", "/user");
        HttpResponse<String> logout = server.asUser("POST", "/logout?scope=others");
        HttpResponse<String> badScope = server.asUser("POST", "/logout?scope=everything");
        HttpResponse<String> noToken = server.send("GET", "/user", null);
        HttpResponse<String> badToken = server.send("POST", "/logout", null, "Authorization", "Bearer nope");

        assertEquals(List.of(200, 204, 400, 401, 403), List.of(user.statusCode(), logout.statusCode(), badScope.statusCode(),
                noToken.statusCode(), badToken.statusCode()));
        openApi.assertConforms("GET", "/user", user);
        openApi.assertConforms("GET", "/user", noToken);
        openApi.assertConforms("POST", "/logout", logout);
        openApi.assertConforms("POST", "/logout", badScope);
        openApi.assertConforms("POST", "/logout", badToken);
    }

    @Test
    void theRefusalOfAUserWriteBesideGoTrueIsADocumented409() throws Exception {
        Rejection managed = new Rejection(Rejection.Kind.CONFLICT, ErrorCode.MANAGED_BY_GOTRUE,
                "Beside Supabase Auth, users are managed by Supabase Auth (GoTrue); use its admin API (/admin/users); "
                        + "nothing was changed");
        server.upsertUser.set(command -> {
            throw managed;
        });
        server.deleteUser.set(id -> {
            throw managed;
        });
        HttpResponse<String> put = server.send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"email\":\"ada@example.com\"}",
                "Content-Type", "application/json", "Authorization", "Bearer " + TestServer.ADMIN_KEY);
        HttpResponse<String> delete = server.asAdmin("DELETE", "/admin/users/" + Fixtures.USER_ID);

        for (HttpResponse<String> refused : List.of(put, delete)) {
            assertEquals(409, refused.statusCode(), refused.body());
            assertEquals("managed_by_gotrue", refused.headers().firstValue("x-sb-error-code").orElseThrow());
            assertEquals("managed_by_gotrue", JSON.readTree(refused.body()).get("error_code").asText());
            assertEquals(managed.getMessage(), JSON.readTree(refused.body()).get("msg").asText());
        }
        openApi.assertConforms("PUT", "/admin/users/{id}", put);
        openApi.assertConforms("DELETE", "/admin/users/{id}", delete);
    }

    @Test
    void adminUserAndStartSessionAnswersConform() throws Exception {
        server.upsertUser.set(command -> new UpsertUserUseCase.Result(Fixtures.user(), true));
        HttpResponse<String> created = server.send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"email\":\"ada@example.com\"}",
                "Content-Type", "application/json", "Authorization", "Bearer " + TestServer.ADMIN_KEY);
        server.upsertUser.set(command -> new UpsertUserUseCase.Result(Fixtures.user(), false));
        HttpResponse<String> updated = server.send("PUT", "/admin/users/" + Fixtures.USER_ID, null,
                "Authorization", "Bearer " + TestServer.ADMIN_KEY);
        server.deleteUser.set(id -> { });
        HttpResponse<String> deleted = server.asAdmin("DELETE", "/admin/users/" + Fixtures.USER_ID);
        server.deleteUser.set(id -> {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        });
        HttpResponse<String> unknown = server.asAdmin("DELETE", "/admin/users/" + Fixtures.USER_ID);
        server.startSession.set(command -> grant(false));
        HttpResponse<String> started = server.send("POST", "/admin/sessions",
                "{\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"password\"}",
                "Content-Type", "application/json", "Authorization", "Bearer " + TestServer.ADMIN_KEY);
        HttpResponse<String> badMethod = server.send("POST", "/admin/sessions",
                "{\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"carrier-pigeon\"}",
                "Content-Type", "application/json", "Authorization", "Bearer " + TestServer.ADMIN_KEY);

        assertEquals(List.of(201, 200, 204, 404, 201, 400), List.of(created.statusCode(), updated.statusCode(),
                deleted.statusCode(), unknown.statusCode(), started.statusCode(), badMethod.statusCode()));
        assertTrue(JSON.readTree(started.body()).has("session"));
        openApi.assertConforms("PUT", "/admin/users/{id}", created);
        openApi.assertConforms("PUT", "/admin/users/{id}", updated);
        openApi.assertConforms("DELETE", "/admin/users/{id}", deleted);
        openApi.assertConforms("DELETE", "/admin/users/{id}", unknown);
        openApi.assertConforms("POST", "/admin/sessions", started);
        openApi.assertConforms("POST", "/admin/sessions", badMethod);
    }

    @Test
    void operationsAnswersConform() throws Exception {
        HttpResponse<String> health = server.send("GET", "/health", null);
        HttpResponse<String> jwks = server.send("GET", "/.well-known/jwks.json", null);

        assertEquals(200, health.statusCode());
        assertEquals(200, jwks.statusCode());
        openApi.assertConforms("GET", "/health", health);
        openApi.assertConforms("GET", "/.well-known/jwks.json", jwks);
        assertFalse(openApi.validate("/components/schemas/Jwks", "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"use\":\"sig\",\"k\":\"c2VjcmV0\"}]}")
                .isEmpty(), "a symmetric key must never conform");
    }
}
