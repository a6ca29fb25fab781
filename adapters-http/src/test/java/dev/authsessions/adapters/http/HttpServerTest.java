package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsessions.application.port.in.AuthenticateUseCase;
import dev.authsessions.application.port.in.Change;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.LogoutUseCase;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.application.port.out.StorageConflictException;
import dev.authsessions.application.port.out.StorageConstraintException;
import dev.authsessions.application.port.out.StorageUnavailableException;
import dev.authsessions.application.service.ClientAuthentication;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.ReuseCause;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/** The real Javalin app over real sockets, in front of hand-written fake use cases. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "admin-key-0123456789abcdef";
    private static final String OTHER_ADMIN_KEY = "second-admin-key-fedcba9876543210";
    private static final String ACCESS_TOKEN = "user.access.token";
    private static final String REFRESH_TOKEN = "AKqqqqq7u8zMjd3u7u7u7gUWRandomLookingToken";
    private static final OAuthClientId CLIENT = OAuthClientId.parse("99999999-8888-4777-8666-555555555555");
    private static final Instant EXPIRES_AT = Instant.parse("2030-01-01T01:00:00Z");
    private static final int MAX_BODY = 8192;

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    private final AtomicReference<Function<RefreshSessionUseCase.Command, TokenGrant>> refresh = new AtomicReference<>();
    private final AtomicReference<Function<String, AuthenticateUseCase.Caller>> authenticate = new AtomicReference<>();
    private final AtomicReference<Function<UpsertUserUseCase.Command, UpsertUserUseCase.Result>> upsert = new AtomicReference<>();
    private final AtomicReference<Function<StartSessionUseCase.Command, TokenGrant>> start = new AtomicReference<>();
    private final AtomicReference<RuntimeException> deleteFailure = new AtomicReference<>();
    private final AtomicReference<RefreshSessionUseCase.Command> lastRefresh = new AtomicReference<>();
    private final AtomicReference<UpsertUserUseCase.Command> lastUpsert = new AtomicReference<>();
    private final AtomicReference<StartSessionUseCase.Command> lastStart = new AtomicReference<>();
    private final AtomicReference<UserId> lastDelete = new AtomicReference<>();
    private final AtomicReference<LogoutUseCase.Scope> lastLogout = new AtomicReference<>();
    private final AtomicReference<Function<StepUpSessionUseCase.Command, TokenGrant>> stepUp = new AtomicReference<>();
    private final AtomicReference<Function<RegisterFactorUseCase.Command, RegisterFactorUseCase.Result>> registerFactor =
            new AtomicReference<>();
    private final AtomicReference<RuntimeException> removeFactorFailure = new AtomicReference<>();
    private final AtomicReference<Function<UpsertOAuthClientUseCase.Command, UpsertOAuthClientUseCase.Result>> upsertClient =
            new AtomicReference<>();
    private final AtomicReference<RuntimeException> deleteClientFailure = new AtomicReference<>();
    private final AtomicReference<StepUpSessionUseCase.Command> lastStepUp = new AtomicReference<>();
    private final AtomicReference<RegisterFactorUseCase.Command> lastRegisterFactor = new AtomicReference<>();
    private final AtomicReference<List<Object>> lastRemoveFactor = new AtomicReference<>();
    private final AtomicReference<UpsertOAuthClientUseCase.Command> lastUpsertClient = new AtomicReference<>();
    private final AtomicReference<OAuthClientId> lastDeleteClient = new AtomicReference<>();

    @BeforeAll
    void startServer() {
        server = newServer(List.of("127.0.0.1/32", "::1/128")).start();
    }

    @AfterAll
    void stopServer() {
        server.stop();
    }

    private HttpServer newServer(List<String> trustedProxies) {
        return new HttpServer(
                new HttpSettings("127.0.0.1", 0, List.of(OTHER_ADMIN_KEY, ADMIN_KEY), trustedProxies, MAX_BODY),
                command -> upsert.get().apply(command),
                id -> {
                    if (deleteFailure.get() != null) {
                        throw deleteFailure.get();
                    }
                    lastDelete.set(id);
                },
                command -> start.get().apply(command),
                command -> refresh.get().apply(command),
                (caller, scope) -> lastLogout.set(scope),
                token -> authenticate.get().apply(token),
                () -> Map.of("keys", List.of(Map.of("kty", "EC", "kid", "k1", "use", "sig"))),
                command -> stepUp.get().apply(command),
                command -> registerFactor.get().apply(command),
                (userId, factorId) -> {
                    if (removeFactorFailure.get() != null) {
                        throw removeFactorFailure.get();
                    }
                    lastRemoveFactor.set(List.of(userId, factorId));
                },
                command -> upsertClient.get().apply(command),
                id -> {
                    if (deleteClientFailure.get() != null) {
                        throw deleteClientFailure.get();
                    }
                    lastDeleteClient.set(id);
                },
                SessionRoutesTest.unusedSessionUseCases(),
                HttpOperations.standalone());
    }

    @BeforeEach
    void resetFakes() {
        refresh.set(command -> {
            lastRefresh.set(command);
            return grant(Fixtures.session(5), false, List.of());
        });
        authenticate.set(token -> {
            if (!ACCESS_TOKEN.equals(token)) {
                throw Rejection.forbidden(ErrorCode.BAD_JWT, "invalid JWT: unable to parse or verify signature, or token is expired");
            }
            return new AuthenticateUseCase.Caller(Fixtures.user(), Fixtures.session(1));
        });
        upsert.set(command -> {
            lastUpsert.set(command);
            return new UpsertUserUseCase.Result(Fixtures.user(), true);
        });
        start.set(command -> {
            lastStart.set(command);
            return grant(Fixtures.session(0), false, List.of());
        });
        deleteFailure.set(null);
        lastRefresh.set(null);
        lastUpsert.set(null);
        lastStart.set(null);
        lastDelete.set(null);
        lastLogout.set(null);
        stepUp.set(command -> {
            lastStepUp.set(command);
            return grant(Fixtures.session(9), false, List.of());
        });
        registerFactor.set(command -> {
            lastRegisterFactor.set(command);
            return new RegisterFactorUseCase.Result(
                    new MfaFactor(command.factorId(), command.userId(), command.type(), MfaFactor.Status.VERIFIED, Fixtures.CREATED,
                            Fixtures.UPDATED), true);
        });
        removeFactorFailure.set(null);
        upsertClient.set(command -> {
            lastUpsertClient.set(command);
            OAuthClient.Type type = command.clientType() == null ? OAuthClient.Type.CONFIDENTIAL : command.clientType();
            return new UpsertOAuthClientUseCase.Result(new OAuthClient(command.id(), command.clientName(), type,
                    command.clientSecret() == null ? null : ClientAuthentication.hashOf(command.clientSecret()), Fixtures.CREATED,
                    Fixtures.UPDATED), true);
        });
        deleteClientFailure.set(null);
        lastStepUp.set(null);
        lastRegisterFactor.set(null);
        lastRemoveFactor.set(null);
        lastUpsertClient.set(null);
        lastDeleteClient.set(null);
    }

    private static TokenGrant grant(Session session, boolean reused, List<ReuseCause> causes) {
        return new TokenGrant("signed.access.jwt", EXPIRES_AT, 3600, REFRESH_TOKEN, Fixtures.user(), session, reused, causes);
    }

    // ---------------------------------------------------------------- plumbing

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String body, String... headers) throws Exception {
        return send("POST", path, body, withJson(headers));
    }

    private static String[] withJson(String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }

    private static String[] admin(String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + ADMIN_KEY;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** GoTrue's default error shape, plus the error-code header. */
    private static JsonNode assertError(HttpResponse<String> response, int status, String errorCode) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(errorCode, header(response, "x-sb-error-code"));
        assertTrue(header(response, "Content-Type").startsWith("application/json"));
        JsonNode body = json(response);
        assertEquals(status, body.get("code").asInt());
        assertTrue(body.get("code").isInt());
        assertEquals(errorCode, body.get("error_code").asText());
        assertTrue(body.get("msg").isTextual() && !body.get("msg").asText().isEmpty());
        assertNull(header(response, ErrorResponses.API_VERSION_HEADER));
        return body;
    }

    private static void assertValidation(HttpResponse<String> response, String fieldInMessage) throws Exception {
        JsonNode body = assertError(response, 400, "validation_failed");
        assertTrue(body.get("msg").asText().contains(fieldInMessage), body.get("msg").asText());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- POST /token

    @Test
    void refreshAnswersGoTruesTokenResponse() throws Exception {
        HttpResponse<String> response = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"" + REFRESH_TOKEN + "\"}",
                "User-Agent", "supabase-js/2.0", "X-Forwarded-For", "198.51.100.7, 10.0.0.1");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", header(response, "Cache-Control"));
        assertEquals(Fixtures.SESSION_ID.toString(), header(response, "sb-auth-session-id"));
        assertEquals(Fixtures.USER_ID.toString(), header(response, "sb-auth-user-id"));
        assertEquals("5", header(response, "sb-auth-refresh-token-counter"));
        assertEquals("false", header(response, "sb-auth-refresh-token-reuse"));
        assertNull(header(response, "sb-auth-refresh-token-reuse-cause"));
        JsonNode body = json(response);
        assertEquals("signed.access.jwt", body.get("access_token").asText());
        assertEquals("bearer", body.get("token_type").asText());
        assertEquals(3600, body.get("expires_in").asLong());
        assertEquals(EXPIRES_AT.getEpochSecond(), body.get("expires_at").asLong());
        assertEquals(REFRESH_TOKEN, body.get("refresh_token").asText());
        assertEquals(Fixtures.USER_ID.toString(), body.get("user").get("id").asText());
        assertFalse(body.has("session"));

        RefreshSessionUseCase.Command command = lastRefresh.get();
        assertEquals(REFRESH_TOKEN, command.refreshToken());
        assertEquals("supabase-js/2.0", command.userAgent());
        assertEquals("198.51.100.7", command.ip(), "the first X-Forwarded-For entry, as the peer is a trusted proxy");
        assertNull(command.clientId());
        assertNull(command.clientSecret());
    }

    @Test
    void refreshAcceptsAFormBodyWithTheGrantTypeInIt() throws Exception {
        HttpResponse<String> response = send("POST", "/token", "grant_type=refresh_token&refresh_token=abc%2Bdef",
                "Content-Type", "application/x-www-form-urlencoded");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("abc+def", lastRefresh.get().refreshToken());
    }

    @Test
    void allowedReuseIsReportedInHeaders() throws Exception {
        refresh.set(command -> grant(Fixtures.session(7), true, List.of(ReuseCause.CONCURRENT_REFRESH, ReuseCause.ALWAYS_ALLOW)));

        HttpResponse<String> response = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}");

        assertEquals(200, response.statusCode());
        assertEquals("true", header(response, "sb-auth-refresh-token-reuse"));
        assertEquals("concurrent-refresh,always-allow", header(response, "sb-auth-refresh-token-reuse-cause"));
        assertEquals("7", header(response, "sb-auth-refresh-token-counter"));
    }

    @Test
    void grantTypeMustBeRefreshToken() throws Exception {
        assertValidation(postJson("/token", "{\"refresh_token\":\"x\"}"), "grant_type");
        assertValidation(postJson("/token?grant_type=password", "{\"refresh_token\":\"x\"}"), "grant_type");
        assertValidation(postJson("/token?grant_type=", "{\"refresh_token\":\"x\"}"), "grant_type");
        assertNull(lastRefresh.get());
    }

    /** GoTrue's clients and gateways may add parameters of their own; only the one /token reads must be exact. */
    @Test
    void tokenIgnoresParametersItDoesNotReadButRefusesARepeatedGrantType() throws Exception {
        assertValidation(postJson("/token?grant_type=refresh_token&grant_type=refresh_token", "{\"refresh_token\":\"x\"}"),
                "\"grant_type\" must not appear more than once");
        assertValidation(postJson("/token?grant_type=refresh_token&grant_type=", "{\"refresh_token\":\"x\"}"), "grant_type");
        assertNull(lastRefresh.get());

        HttpResponse<String> response = postJson("/token?grant_type=refresh_token&apikey=anon&Grant_Type=x",
                "{\"refresh_token\":\"x\",\"gotrue_meta_security\":{}}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("x", lastRefresh.get().refreshToken());
    }

    @Test
    void refreshTokenIsRequiredAndMustBeAString() throws Exception {
        assertValidation(postJson("/token?grant_type=refresh_token", "{}"), "refresh_token");
        assertValidation(send("POST", "/token?grant_type=refresh_token", null), "refresh_token");
        assertValidation(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"\"}"), "refresh_token");
        assertValidation(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":42}"), "refresh_token must be a string");
        assertValidation(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":[\"x\"]}"), "refresh_token must be a string");
        assertNull(lastRefresh.get());
    }

    @Test
    void clientCredentialsComeFromHttpBasic() throws Exception {
        HttpResponse<String> response = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}",
                "Authorization", basic(CLIENT.toString(), "s3cret:with:colons"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(CLIENT, lastRefresh.get().clientId());
        assertEquals("s3cret:with:colons", lastRefresh.get().clientSecret());
    }

    @Test
    void clientCredentialsComeFromTheBody() throws Exception {
        HttpResponse<String> response = send("POST", "/token?grant_type=refresh_token",
                "refresh_token=x&client_id=" + CLIENT + "&client_secret=s3cret", "Content-Type", "application/x-www-form-urlencoded");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(CLIENT, lastRefresh.get().clientId());
        assertEquals("s3cret", lastRefresh.get().clientSecret());
    }

    private static void assertInvalidClient(HttpResponse<String> response) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("invalid_client", header(response, "x-sb-error-code"));
        JsonNode body = json(response);
        assertEquals("invalid_client", body.get("error").asText());
        assertTrue(body.get("error_description").isTextual());
        assertFalse(body.has("code"));
    }

    @Test
    void malformedClientCredentialsAreInvalidClient() throws Exception {
        assertInvalidClient(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\",\"client_id\":\"not-a-uuid\"}"));
        assertInvalidClient(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\",\"client_id\":7}"));
        assertInvalidClient(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}", "Authorization", "Basic %%%"));
        assertInvalidClient(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}", "Authorization",
                "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))));
        assertInvalidClient(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\",\"client_id\":\""
                + UUID.randomUUID() + "\"}", "Authorization", basic(CLIENT.toString(), "s")));
        assertNull(lastRefresh.get());
    }

    @Test
    void invalidClientFromTheUseCaseIsAnOAuthError() throws Exception {
        refresh.set(command -> {
            throw Rejection.badRequest(ErrorCode.INVALID_CLIENT, "Invalid client credentials");
        });
        HttpResponse<String> response = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}");
        assertInvalidClient(response);
        assertEquals("Invalid client credentials", json(response).get("error_description").asText());
    }

    @Test
    void rejectionsUseGoTruesErrorShape() throws Exception {
        refresh.set(command -> {
            throw Rejection.badRequest(ErrorCode.REFRESH_TOKEN_ALREADY_USED, "Invalid Refresh Token: Already Used");
        });
        JsonNode body = assertError(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}"), 400,
                "refresh_token_already_used");
        assertEquals("Invalid Refresh Token: Already Used", body.get("msg").asText());
    }

    @Test
    void everyRejectionKindHasItsStatus() throws Exception {
        Map<Rejection.Kind, Integer> statuses = Map.of(Rejection.Kind.BAD_REQUEST, 400, Rejection.Kind.UNAUTHORIZED, 401,
                Rejection.Kind.FORBIDDEN, 403, Rejection.Kind.NOT_FOUND, 404, Rejection.Kind.CONFLICT, 409);
        for (Map.Entry<Rejection.Kind, Integer> entry : statuses.entrySet()) {
            refresh.set(command -> {
                throw new Rejection(entry.getKey(), ErrorCode.CONFLICT, "refused");
            });
            assertError(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}"), entry.getValue(), "conflict");
        }
    }

    @Test
    void datedApiClientsGetTheNewErrorShapeAndTheVersionEchoed() throws Exception {
        refresh.set(command -> {
            throw Rejection.badRequest(ErrorCode.SESSION_EXPIRED, "Invalid Refresh Token: Session Expired");
        });
        for (String version : List.of("2024-01-01", "2025-06-30")) {
            HttpResponse<String> response = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}",
                    "X-Supabase-Api-Version", version);
            assertEquals(400, response.statusCode());
            assertEquals("2024-01-01", header(response, "X-Supabase-Api-Version"));
            assertEquals("session_expired", header(response, "x-sb-error-code"));
            JsonNode body = json(response);
            assertEquals("session_expired", body.get("code").asText());
            assertEquals("Invalid Refresh Token: Session Expired", body.get("message").asText());
            assertFalse(body.has("msg"));
            assertFalse(body.has("error_code"));
        }
        for (String version : List.of("2023-12-31", "banana", "2024-13-01", "2024-02-30")) {
            assertError(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}", "X-Supabase-Api-Version", version),
                    400, "session_expired");
        }
    }

    @Test
    void aRefusalThatNamesItsUserAndSessionCarriesGoTruesSessionHeaders() throws Exception {
        refresh.set(command -> {
            throw Rejection.badRequest(ErrorCode.REFRESH_TOKEN_ALREADY_USED, "Invalid Refresh Token: Already Used")
                    .concerning(Fixtures.USER_ID, Fixtures.SESSION_ID);
        });
        HttpResponse<String> both = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}");
        assertError(both, 400, "refresh_token_already_used");
        assertEquals(Fixtures.SESSION_ID.toString(), header(both, "sb-auth-session-id"));
        assertEquals(Fixtures.USER_ID.toString(), header(both, "sb-auth-user-id"));

        refresh.set(command -> {
            throw Rejection.badRequest(ErrorCode.USER_BANNED, "Invalid Refresh Token: User Banned").concerning(Fixtures.USER_ID, null);
        });
        HttpResponse<String> userOnly = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}");
        assertError(userOnly, 400, "user_banned");
        assertNull(header(userOnly, "sb-auth-session-id"));
        assertEquals(Fixtures.USER_ID.toString(), header(userOnly, "sb-auth-user-id"));

        refresh.set(command -> {
            throw Rejection.badRequest(ErrorCode.INVALID_CLIENT, "Client authentication required for OAuth session")
                    .concerning(Fixtures.USER_ID, Fixtures.SESSION_ID);
        });
        HttpResponse<String> oauth = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}");
        assertEquals("invalid_client", json(oauth).get("error").asText());
        assertEquals(Fixtures.SESSION_ID.toString(), header(oauth, "sb-auth-session-id"));
        assertEquals(Fixtures.USER_ID.toString(), header(oauth, "sb-auth-user-id"));

        refresh.set(command -> {
            throw Rejection.badRequest(ErrorCode.REFRESH_TOKEN_NOT_FOUND, "Invalid Refresh Token: Refresh Token Not Found");
        });
        HttpResponse<String> neither = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}");
        assertError(neither, 400, "refresh_token_not_found");
        assertNull(header(neither, "sb-auth-session-id"));
        assertNull(header(neither, "sb-auth-user-id"));
    }

    @Test
    void datedApiVersionIsEchoedOnSuccessToo() throws Exception {
        HttpResponse<String> ok = send("GET", "/health", null, "X-Supabase-Api-Version", "2024-01-01");
        assertEquals(200, ok.statusCode());
        assertEquals("2024-01-01", header(ok, "X-Supabase-Api-Version"));
        HttpResponse<String> token = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}",
                "X-Supabase-Api-Version", "2024-01-01");
        assertEquals(200, token.statusCode());
        assertEquals("2024-01-01", header(token, "X-Supabase-Api-Version"));
        assertNull(header(send("GET", "/health", null), "X-Supabase-Api-Version"));
    }

    @Test
    void datedApiShapeAppliesToHttpLevelErrorsToo() throws Exception {
        HttpResponse<String> response = send("GET", "/nope", null, "X-Supabase-Api-Version", "2024-01-01");
        assertEquals(404, response.statusCode());
        assertEquals("not_found", json(response).get("code").asText());
        assertEquals("2024-01-01", header(response, "X-Supabase-Api-Version"));
    }

    @Test
    void badJsonIsBadJsonAndNeverQuoted() throws Exception {
        for (String body : List.of("{\"refresh_token\": \"SECRET-TOKEN-XYZ\"", "{\"refresh_token\":\"SECRET-TOKEN-XYZ\"} trailing",
                "{\"refresh_token\":\"a\",\"refresh_token\":\"SECRET-TOKEN-XYZ\"}", "SECRET-TOKEN-XYZ")) {
            HttpResponse<String> response = postJson("/token?grant_type=refresh_token", body);
            assertError(response, 400, "bad_json");
            assertFalse(response.body().contains("SECRET-TOKEN-XYZ"), response.body());
        }
    }

    @Test
    void aJsonBodyMustBeAnObject() throws Exception {
        assertValidation(postJson("/token?grant_type=refresh_token", "[\"x\"]"), "JSON object");
        assertValidation(postJson("/token?grant_type=refresh_token", "\"x\""), "JSON object");
    }

    /** GoTrue decodes every body as JSON whatever its Content-Type; /token reads a form only when it says it is one. */
    @Test
    void aJsonBodyIsReadWhateverItsContentTypeSays() throws Exception {
        for (String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/octet-stream", "application/xml", null}) {
            lastRefresh.set(null);
            String[] headers = type == null ? new String[0] : new String[] {"Content-Type", type};
            HttpResponse<String> response = send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}", headers);
            assertEquals(200, response.statusCode(), type + ": " + response.body());
            assertEquals("x", lastRefresh.get().refreshToken(), type);
        }
        lastRefresh.set(null);
        assertError(send("POST", "/token?grant_type=refresh_token", "refresh_token=x", "Content-Type", "text/plain"), 400, "bad_json");
        assertError(send("POST", "/token?grant_type=refresh_token", "refresh_token=x"), 400, "bad_json");
        assertNull(lastRefresh.get(), "a form is read as one only when it says so");
    }

    @Test
    void everyRouteWithABodyReadsJsonWhateverItsContentTypeSays() throws Exception {
        String[] plain = admin("Content-Type", "text/plain");
        assertEquals(201, send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"email\":\"a@example.com\"}", plain).statusCode());
        assertEquals(Change.to("a@example.com"), lastUpsert.get().email());
        assertEquals(201, send("POST", "/admin/sessions", "{\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"otp\"}",
                admin("Content-Type", "application/x-www-form-urlencoded")).statusCode());
        assertEquals(AuthenticationMethod.OTP, lastStart.get().method());
        assertEquals(200, send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", STEP_UP_BODY, plain).statusCode());
        assertEquals(FACTOR, lastStepUp.get().factorId());
        assertEquals(201, send("PUT", factorPath(), "{\"factor_type\":\"phone\"}", plain).statusCode());
        assertEquals(FactorType.PHONE, lastRegisterFactor.get().type());
        assertEquals(201, send("PUT", "/admin/oauth-clients/" + CLIENT, "{\"client_name\":\"web\",\"client_type\":\"public\"}",
                admin("Content-Type", "application/x-www-form-urlencoded")).statusCode());
        assertEquals("web", lastUpsertClient.get().clientName());
    }

    @Test
    void contentTypeParametersAreAllowed() throws Exception {
        HttpResponse<String> response = send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}", "Content-Type",
                "Application/JSON; charset=utf-8");
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        String big = "{\"refresh_token\":\"" + "x".repeat(MAX_BODY) + "\"}";
        assertError(postJson("/token?grant_type=refresh_token", big), 413, "validation_failed");
        String exactlyAtLimit = "{\"refresh_token\":\"" + "x".repeat(MAX_BODY - 20) + "\"}";
        assertEquals(MAX_BODY, exactlyAtLimit.length());
        assertEquals(200, postJson("/token?grant_type=refresh_token", exactlyAtLimit).statusCode());
    }

    @Test
    void storageOutageIs503() throws Exception {
        refresh.set(command -> {
            throw new StorageUnavailableException("connection refused", new java.io.IOException("down"));
        });
        assertError(postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}"), 503, "service_unavailable");
    }

    @Test
    void concurrentWorkOnTheSameRowsIs409Conflict() throws Exception {
        refresh.set(command -> {
            throw new StorageConflictException("lock timeout", new java.sql.SQLException("canceling statement", "55P03"));
        });
        HttpResponse<String> response = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}");
        assertError(response, 409, "conflict");
        assertFalse(response.body().contains("55P03"));
    }

    /** What a race with a deletion ends in: the answer the use case gives when it sees the row gone, never a 500. */
    @Test
    void aConstraintTheDatabaseRaisedIsThe4xxAClientCanActOnWithoutTheConstraintsName() throws Exception {
        Map<StorageConstraintException.Violation, Object[]> expected = new java.util.EnumMap<>(StorageConstraintException.Violation.class);
        expected.put(StorageConstraintException.Violation.USER_GONE, new Object[] {404, "user_not_found"});
        expected.put(StorageConstraintException.Violation.OAUTH_CLIENT_GONE, new Object[] {404, "oauth_client_not_found"});
        expected.put(StorageConstraintException.Violation.SESSION_GONE, new Object[] {404, "session_not_found"});
        expected.put(StorageConstraintException.Violation.REFERENCE_BROKEN, new Object[] {409, "conflict"});
        expected.put(StorageConstraintException.Violation.DUPLICATE, new Object[] {409, "conflict"});
        expected.put(StorageConstraintException.Violation.INVALID_VALUE, new Object[] {400, "validation_failed"});
        assertEquals(StorageConstraintException.Violation.values().length, expected.size(), "every violation has its answer");
        String body = "{\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"password\"}";
        for (Map.Entry<StorageConstraintException.Violation, Object[]> entry : expected.entrySet()) {
            start.set(command -> {
                throw new StorageConstraintException(entry.getKey(), "some_table_some_fkey");
            });

            HttpResponse<String> response = send("POST", "/admin/sessions", body, withJson(admin()));

            assertError(response, (Integer) entry.getValue()[0], (String) entry.getValue()[1]);
            assertFalse(response.body().contains("some_table"), response.body());
        }
    }

    @Test
    void unexpectedFailureIs500WithAnErrorIdAndNoDetails() throws Exception {
        refresh.set(command -> {
            throw new IllegalStateException("boom with internal detail");
        });
        HttpResponse<String> response = postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}");
        JsonNode body = assertError(response, 500, "unexpected_failure");
        UUID.fromString(body.get("error_id").asText());
        assertFalse(response.body().contains("boom"));
        assertFalse(response.body().contains("IllegalStateException"));
        assertFalse(response.body().contains("at dev."));
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() throws Exception {
        assertError(send("GET", "/no/such/route", null), 404, "not_found");
        assertError(send("GET", "/token", null), 405, "method_not_allowed");
        assertError(send("PATCH", "/admin/users/" + Fixtures.USER_ID, "{}", admin()), 405, "method_not_allowed");
    }

    /** Writes raw requests on one connection and returns everything the server answered until it closed. */
    private String rawExchange(String requests) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final String DATED = "X-Supabase-Api-Version: 2024-01-01\r\n";

    /**
     * Every way a request can be refused, from Jetty's parser to the routes, answers a dated-API client
     * in the dated shape with the version echoed: Jetty hands the requests it refuses over without their
     * headers, and refuses a bad escape in the path before reading any.
     */
    @Test
    void datedApiShapeAppliesToEveryErrorPath() throws Exception {
        Map<String, String> requests = new java.util.LinkedHashMap<>();
        requests.put("bad escape in an admin path", "GET /admin/sessions/%zz HTTP/1.1\r\nHost: x\r\n" + DATED + "Authorization: Bearer "
                + ADMIN_KEY + "\r\n");
        requests.put("bad escape in a self-service path", "DELETE /sessions/%zz HTTP/1.1\r\nHost: x\r\n" + DATED);
        requests.put("escape cut short", "GET /admin/users/abc% HTTP/1.1\r\nHost: x\r\n" + DATED);
        requests.put("truncated UTF-8 escape", "GET /sessions/%e0%a4%a HTTP/1.1\r\nHost: x\r\n" + DATED);
        requests.put("bad escape, version sent last", "GET /sessions/%zz HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n" + DATED);
        requests.put("UTF-16 escape", "GET /sessions/%u0041 HTTP/1.1\r\nHost: x\r\n" + DATED);
        requests.put("bad escape in the query", "POST /logout?scope=%zz HTTP/1.1\r\nHost: x\r\n" + DATED + "Content-Length: 0\r\n");
        requests.put("bad Content-Length", "POST /token HTTP/1.1\r\nHost: x\r\n" + DATED + "Content-Length: abc\r\n");
        requests.put("malformed header line", "GET /health HTTP/1.1\r\nHost: x\r\n" + DATED + "Not a header\r\n");
        requests.put("no Host", "GET /health HTTP/1.1\r\n" + DATED);
        requests.put("header block too large", "GET /health HTTP/1.1\r\nHost: x\r\n" + DATED + "X-Big: " + "a".repeat(200_000) + "\r\n");
        requests.put("unknown route", "GET /no/such/route HTTP/1.1\r\nHost: x\r\n" + DATED);
        requests.put("wrong method", "PATCH /token HTTP/1.1\r\nHost: x\r\n" + DATED + "Content-Length: 0\r\n");
        requests.put("body over the limit", "POST /token?grant_type=refresh_token HTTP/1.1\r\nHost: x\r\n" + DATED
                + "Content-Length: " + (MAX_BODY + 1) + "\r\n");
        requests.put("bad JSON", "POST /token?grant_type=refresh_token HTTP/1.1\r\nHost: x\r\n" + DATED + "Content-Length: 1\r\n");
        requests.put("missing bearer token", "GET /user HTTP/1.1\r\nHost: x\r\n" + DATED);
        for (Map.Entry<String, String> request : requests.entrySet()) {
            String content = request.getKey().equals("bad JSON") ? "{" : "";
            String answer = rawExchange(request.getValue() + "Connection: close\r\n\r\n" + content);
            String what = request.getKey() + ": " + answer;
            int status = Integer.parseInt(answer.substring(9, 12));
            assertTrue(status >= 400 && status < 500, what);
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            assertTrue(head.contains("\r\nx-supabase-api-version: 2024-01-01"), what);
            JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertTrue(body.get("code").isTextual(), what);
            assertTrue(head.contains("\r\nx-sb-error-code: " + body.get("code").asText()), what);
            assertTrue(body.get("message").isTextual() && !body.get("message").asText().isEmpty(), what);
            assertFalse(body.has("msg") || body.has("error_code"), what);
            if (request.getKey().contains("escape")) {
                assertEquals(400, status, what);
                assertEquals("validation_failed", body.get("code").asText(), what);
                assertTrue(body.get("message").asText().contains("percent-encoding"), what);
            }
        }
    }

    @Test
    void aRefusedRequestOnAKeptAliveConnectionDoesNotInheritTheEarlierRequestsVersion() throws Exception {
        String answers = rawExchange("GET /health HTTP/1.1\r\nHost: x\r\n" + DATED + "\r\n"
                + "GET /sessions/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(answers.startsWith("HTTP/1.1 200"), answers);
        String second = answers.substring(answers.indexOf("HTTP/1.1 400"));
        assertFalse(second.toLowerCase(java.util.Locale.ROOT).contains("x-supabase-api-version"), second);
        JsonNode body = JSON.readTree(second.substring(second.indexOf("\r\n\r\n") + 4));
        assertEquals(400, body.get("code").asInt());
        assertEquals("validation_failed", body.get("error_code").asText());
        assertEquals("The path is not valid percent-encoding", body.get("msg").asText());
    }

    @Test
    void requestsJettyRefusesGetTheJsonShapeToo() throws Exception {
        for (String request : List.of("GET /admin/users/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n")) {
            String answer;
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("x-sb-error-code: validation_failed"), answer);
            JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals(400, body.get("code").asInt());
            assertEquals("validation_failed", body.get("error_code").asText());
        }
    }

    // ---------------------------------------------------------------- client IP

    @Test
    void forwardedForIsIgnoredFromUntrustedPeers() throws Exception {
        HttpServer untrusting = newServer(List.of("10.0.0.0/8", "fd00::/8")).start();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + untrusting.port() + "/token?grant_type=refresh_token"))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", "198.51.100.7")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"x\"}"))
                    .build();
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals("127.0.0.1", lastRefresh.get().ip());
        } finally {
            untrusting.stop();
        }
    }

    @Test
    void forwardedForThatIsNotAnAddressFallsBackToThePeer() throws Exception {
        postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}", "X-Forwarded-For", "unknown, 198.51.100.7");
        assertEquals("127.0.0.1", lastRefresh.get().ip());
        postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}");
        assertEquals("127.0.0.1", lastRefresh.get().ip());
        postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"x\"}", "X-Forwarded-For", "2001:db8::7");
        assertEquals("2001:db8::7", lastRefresh.get().ip());
    }

    // ---------------------------------------------------------------- GET /user, POST /logout

    @Test
    void userAnswersTheCallersUser() throws Exception {
        User banned = new User(Fixtures.USER_ID, "authenticated", "authenticated", null, "+15550100", Map.of("provider", "phone"),
                Map.of(), true, Instant.parse("2031-02-03T04:05:06Z"), Fixtures.CREATED, Fixtures.UPDATED, false);
        authenticate.set(token -> new AuthenticateUseCase.Caller(banned, Fixtures.session(1)));

        HttpResponse<String> response = send("GET", "/user", null, "Authorization", "Bearer " + ACCESS_TOKEN);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("id", "aud", "role", "email", "phone", "app_metadata", "user_metadata", "is_anonymous", "banned_until",
                "created_at", "updated_at"), names);
        assertEquals(Fixtures.USER_ID.toString(), body.get("id").asText());
        assertEquals("", body.get("email").asText(), "a missing email is an empty string");
        assertEquals("+15550100", body.get("phone").asText());
        assertEquals("phone", body.get("app_metadata").get("provider").asText());
        assertTrue(body.get("user_metadata").isObject());
        assertTrue(body.get("is_anonymous").asBoolean());
        assertEquals("2031-02-03T04:05:06Z", body.get("banned_until").asText());
        assertEquals("2024-05-01T10:00:00.123456Z", body.get("created_at").asText());
        assertEquals("2024-05-02T11:30:00Z", body.get("updated_at").asText());
    }

    @Test
    void userWithoutBanOmitsBannedUntil() throws Exception {
        JsonNode body = json(send("GET", "/user", null, "Authorization", "Bearer " + ACCESS_TOKEN));
        assertFalse(body.has("banned_until"));
        assertEquals("", body.get("phone").asText());
        assertEquals("ada@example.com", body.get("email").asText());
    }

    @Test
    void bearerIsRequired() throws Exception {
        for (String[] headers : List.of(new String[0], new String[] {"Authorization", "Basic abc"},
                new String[] {"Authorization", "Bearer "}, new String[] {"Authorization", ACCESS_TOKEN})) {
            JsonNode body = assertError(send("GET", "/user", null, headers), 401, "no_authorization");
            assertEquals("This endpoint requires a valid Bearer token", body.get("msg").asText());
            assertError(send("POST", "/logout", null, headers), 401, "no_authorization");
        }
        assertNull(lastLogout.get());
    }

    @Test
    void authenticationRejectionsMapAsUsual() throws Exception {
        assertError(send("GET", "/user", null, "Authorization", "Bearer not-ours"), 403, "bad_jwt");
        authenticate.set(token -> {
            throw Rejection.forbidden(ErrorCode.SESSION_NOT_FOUND, "Session from session_id claim in JWT does not exist");
        });
        assertError(send("GET", "/user", null, "Authorization", "Bearer " + ACCESS_TOKEN), 403, "session_not_found");
        assertError(send("POST", "/logout", null, "Authorization", "Bearer " + ACCESS_TOKEN), 403, "session_not_found");
        assertNull(lastLogout.get());
    }

    @Test
    void logoutScopes() throws Exception {
        Map<String, LogoutUseCase.Scope> cases = Map.of("/logout", LogoutUseCase.Scope.GLOBAL, "/logout?scope=global",
                LogoutUseCase.Scope.GLOBAL, "/logout?scope=local", LogoutUseCase.Scope.LOCAL, "/logout?scope=others",
                LogoutUseCase.Scope.OTHERS);
        for (Map.Entry<String, LogoutUseCase.Scope> entry : cases.entrySet()) {
            lastLogout.set(null);
            HttpResponse<String> response = send("POST", entry.getKey(), null, "Authorization", "bearer " + ACCESS_TOKEN);
            assertEquals(204, response.statusCode(), entry.getKey());
            assertEquals("", response.body());
            assertEquals(entry.getValue(), lastLogout.get(), entry.getKey());
        }
    }

    @Test
    void unknownLogoutScopeIs400() throws Exception {
        assertValidation(send("POST", "/logout?scope=everything", null, "Authorization", "Bearer " + ACCESS_TOKEN), "scope");
        assertValidation(send("POST", "/logout?scope=GLOBAL", null, "Authorization", "Bearer " + ACCESS_TOKEN), "scope");
        assertNull(lastLogout.get());
    }

    /** Only a logout without the parameter is global; a scope that cannot be read exactly must not become "all sessions". */
    @Test
    void aLogoutScopeThatCannotBeReadExactlyIsRefusedAndNeverFallsBackToGlobal() throws Exception {
        for (String query : List.of("scope=", "scope", "scope=local&scope=local", "scope=local&scope=global", "scope=local&scope=",
                "Scope=local", "SCOPE=others", "scope=local&redirect_to=x", "=local", "scopes=local", "scope%20=local")) {
            assertValidation(send("POST", "/logout?" + query, null, "Authorization", "Bearer " + ACCESS_TOKEN), "scope");
        }
        assertNull(lastLogout.get());

        assertEquals(204, send("POST", "/logout?scope=local&", null, "Authorization", "Bearer " + ACCESS_TOKEN).statusCode());
        assertEquals(LogoutUseCase.Scope.LOCAL, lastLogout.get());
    }

    @Test
    void aLogoutScopeSentInTheBodyIsRefusedAndAnEmptyObjectIsNoBody() throws Exception {
        for (String body : List.of("{\"scope\":\"local\"}", "scope=local", "[]")) {
            assertValidation(send("POST", "/logout?scope=others", body, withJson("Authorization", "Bearer " + ACCESS_TOKEN)),
                    "no request body");
        }
        assertNull(lastLogout.get());

        // supabase-js sends no body with a JSON Content-Type; other GoTrue clients send {}.
        assertEquals(204, send("POST", "/logout?scope=others", " {} ", withJson("Authorization", "Bearer " + ACCESS_TOKEN)).statusCode());
        assertEquals(LogoutUseCase.Scope.OTHERS, lastLogout.get());
        assertEquals(204, send("POST", "/logout", null, withJson("Authorization", "Bearer " + ACCESS_TOKEN)).statusCode());
        assertEquals(LogoutUseCase.Scope.GLOBAL, lastLogout.get());
    }

    // ---------------------------------------------------------------- operations

    @Test
    void healthSaysOk() throws Exception {
        HttpResponse<String> response = send("GET", "/health", null);
        assertEquals(200, response.statusCode());
        assertEquals("ok", json(response).get("status").asText());
    }

    @Test
    void jwksIsPublishedWithCaching() throws Exception {
        HttpResponse<String> response = send("GET", "/.well-known/jwks.json", null);
        assertEquals(200, response.statusCode());
        assertEquals("public, max-age=600", header(response, "Cache-Control"));
        assertEquals("k1", json(response).get("keys").get(0).get("kid").asText());
    }

    // ---------------------------------------------------------------- admin

    @Test
    void adminRoutesNeedAnAdminKey() throws Exception {
        String user = "/admin/users/" + Fixtures.USER_ID;
        for (String[] headers : List.of(new String[0], new String[] {"Authorization", "Bearer wrong-key"},
                new String[] {"Authorization", "Bearer " + ADMIN_KEY + "x"}, new String[] {"Authorization", "Bearer " + ACCESS_TOKEN},
                new String[] {"Authorization", "Basic " + ADMIN_KEY}, new String[] {"Authorization", ADMIN_KEY})) {
            assertError(send("PUT", user, "{}", withJson(headers)), 401, "no_authorization");
            assertError(send("DELETE", user, null, headers), 401, "no_authorization");
            assertError(send("POST", "/admin/sessions", "{}", withJson(headers)), 401, "no_authorization");
        }
        assertNull(lastUpsert.get());
        assertNull(lastDelete.get());
        assertNull(lastStart.get());
        HttpResponse<String> withSecondKey = send("PUT", user, "{}", withJson("Authorization", "Bearer " + OTHER_ADMIN_KEY));
        assertEquals(201, withSecondKey.statusCode(), "every configured key is accepted");
    }

    @Test
    void upsertUserCreatesWith201AndUpdatesWith200() throws Exception {
        HttpResponse<String> created = send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"email\":\"ada@example.com\"}",
                withJson(admin()));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(Fixtures.USER_ID.toString(), json(created).get("id").asText());
        assertEquals("ada@example.com", json(created).get("email").asText());

        upsert.set(command -> new UpsertUserUseCase.Result(Fixtures.user(), false));
        assertEquals(200, send("PUT", "/admin/users/" + Fixtures.USER_ID, "{}", withJson(admin())).statusCode());
    }

    @Test
    void upsertUserMapsNullToClearAndAbsentToKeep() throws Exception {
        String body = "{\"aud\":\"authenticated\",\"email\":null,\"phone\":\"+15550100\",\"app_metadata\":{\"roles\":[\"a\",1.5],"
                + "\"nested\":{\"x\":true}},\"user_metadata\":null,\"is_anonymous\":true,\"banned_until\":\"2031-01-01T02:00:00+02:00\"}";
        HttpResponse<String> response = send("PUT", "/admin/users/" + Fixtures.USER_ID, body, withJson(admin()));

        assertEquals(201, response.statusCode(), response.body());
        UpsertUserUseCase.Command command = lastUpsert.get();
        assertEquals(Fixtures.USER_ID, command.id());
        assertEquals(Change.to("authenticated"), command.aud());
        assertEquals(Change.absent(), command.role());
        assertEquals(Change.to(null), command.email());
        assertEquals(Change.to("+15550100"), command.phone());
        assertTrue(command.appMetadata().present());
        assertEquals(List.of("a", new java.math.BigDecimal("1.5")), command.appMetadata().value().get("roles"));
        assertEquals(Map.of("x", true), command.appMetadata().value().get("nested"));
        assertEquals(Change.to(null), command.userMetadata());
        assertEquals(Change.to(true), command.isAnonymous());
        assertEquals(Change.to(Instant.parse("2031-01-01T00:00:00Z")), command.bannedUntil());
    }

    @Test
    void upsertUserWithEmptyBodyChangesNothing() throws Exception {
        assertEquals(201, send("PUT", "/admin/users/" + Fixtures.USER_ID, null, admin()).statusCode());
        UpsertUserUseCase.Command command = lastUpsert.get();
        for (Change<?> change : List.of(command.aud(), command.role(), command.email(), command.phone(), command.appMetadata(),
                command.userMetadata(), command.isAnonymous(), command.bannedUntil())) {
            assertFalse(change.present());
        }
        assertEquals(Change.to(null), new JsonFields(JSON.createObjectNode().putNull("x")).booleanChange("x"));
    }

    @Test
    void upsertUserRefusesBadFields() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"email\":5}", "email");
        cases.put("{\"aud\":\"" + "a".repeat(256) + "\"}", "aud");
        cases.put("{\"role\":{}}", "role");
        cases.put("{\"app_metadata\":[1]}", "app_metadata");
        cases.put("{\"user_metadata\":\"text\"}", "user_metadata");
        cases.put("{\"user_metadata\":{\"a\":\"nul\\u0000\"}}", "user_metadata");
        cases.put("{\"app_metadata\":{\"n\":1e400}}", "app_metadata");
        cases.put("{\"app_metadata\":{\"n\":[1e-1100]}}", "app_metadata contains a number that is out of range");
        cases.put("{\"user_metadata\":{\"n\":-2e-324}}", "user_metadata contains a number that is out of range");
        cases.put("{\"user_metadata\":{\"n\":" + "[".repeat(64) + "]".repeat(64) + "}}", "user_metadata must not be nested more than 64");
        cases.put("{\"is_anonymous\":\"yes\"}", "is_anonymous");
        cases.put("{\"banned_until\":\"tomorrow\"}", "banned_until");
        cases.put("{\"banned_until\":\"2031-01-01T00:00:00\"}", "banned_until");
        cases.put("{\"banned_until\":12345}", "banned_until");
        cases.put("{\"email\":\"a\\u0000b\"}", "email");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            assertValidation(send("PUT", "/admin/users/" + Fixtures.USER_ID, entry.getKey(), withJson(admin())), entry.getValue());
        }
        assertNull(lastUpsert.get());
    }

    @Test
    void aNumberWhoseExponentIsOutOfRangeIs400OnEveryRouteThatReadsJson() throws Exception {
        for (String number : List.of("1e999999999999", "1e-999999999999", "1e2147483648", "0e9999999999", "1.5e-2147483649")) {
            assertValidation(send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"x\",\"z\":" + number + "}",
                    withJson()), "out of range");
            assertValidation(send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"user_metadata\":{\"n\":" + number + "}}",
                    withJson(admin())), "out of range");
            assertValidation(send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"email\":" + number + "}",
                    withJson(admin())), "out of range");
            assertValidation(send("POST", "/admin/sessions", "{\"user_id\":\"" + Fixtures.USER_ID
                    + "\",\"authentication_method\":\"password\",\"not_after\":" + number + "}", withJson(admin())), "out of range");
        }
        assertNull(lastRefresh.get());
        assertNull(lastUpsert.get());
        assertNull(lastStart.get());
    }

    @Test
    void textWithAnUnpairedSurrogateIsRefusedBecauseItWouldReadBackChanged() throws Exception {
        for (String body : List.of("{\"user_metadata\":{\"a\":\"\\ud800\"}}", "{\"user_metadata\":{\"a\":\"x\\udc00\"}}",
                "{\"app_metadata\":{\"a\":[\"\\ude00\\ud83d\"]}}",
                "{\"email\":\"\\ud800@example.com\"}", "{\"role\":\"r\\udbff\"}")) {
            assertValidation(send("PUT", "/admin/users/" + Fixtures.USER_ID, body, withJson(admin())), "surrogate");
        }
        assertValidation(send("POST", "/admin/sessions", "{\"user_id\":\"" + Fixtures.USER_ID
                + "\",\"authentication_method\":\"password\",\"user_agent\":\"\\ud800\"}", withJson(admin())), "surrogate");
        // In a key Jackson itself refuses it.
        assertError(send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"user_metadata\":{\"\\ud800\":1}}", withJson(admin())),
                400, "bad_json");
        assertNull(lastUpsert.get());
        assertNull(lastStart.get());

        // A pair is one character and is kept.
        assertEquals(2, send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"user_metadata\":{\"a\":\"\\ud83d\\ude00\"}}",
                withJson(admin())).statusCode() / 100);
        assertEquals(Map.of("a", "\ud83d\ude00"), lastUpsert.get().userMetadata().value());
    }

    @Test
    void timesAreCutToMicrosecondsAndMustLieInTheYears1To9999InUtc() throws Exception {
        assertEquals(2, send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"banned_until\":\"9999-12-31T23:59:59.9999999Z\"}",
                withJson(admin())).statusCode() / 100);
        assertEquals(Change.to(Instant.parse("9999-12-31T23:59:59.999999Z")), lastUpsert.get().bannedUntil());
        lastUpsert.set(null);
        for (String time : List.of("9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00")) {
            assertValidation(send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"banned_until\":\"" + time + "\"}",
                    withJson(admin())), "0001 and 9999");
        }
        assertNull(lastUpsert.get());
    }

    @Test
    void badUuidInThePathIs400() throws Exception {
        for (String id : List.of("not-a-uuid", "1-1-1-1-1", "11111111222243338444555555555555")) {
            assertValidation(send("PUT", "/admin/users/" + id, "{}", withJson(admin())), "user id");
            assertValidation(send("DELETE", "/admin/users/" + id, null, admin()), "user id");
        }
        assertNull(lastUpsert.get());
        assertNull(lastDelete.get());
    }

    @Test
    void adminEndpointsDoNotReadForms() throws Exception {
        assertError(send("PUT", "/admin/users/" + Fixtures.USER_ID, "email=a@example.com", admin("Content-Type", "text/plain")), 400,
                "bad_json");
        assertError(send("POST", "/admin/sessions", "user_id=x", admin("Content-Type", "application/x-www-form-urlencoded")), 400,
                "bad_json");
        assertNull(lastUpsert.get());
        assertNull(lastStart.get());
    }

    @Test
    void adminBadJsonAndOversizedBodies() throws Exception {
        assertError(send("PUT", "/admin/users/" + Fixtures.USER_ID, "{\"email\":", withJson(admin())), 400, "bad_json");
        String huge = "{\"user_metadata\":{\"x\":\"" + "y".repeat(MAX_BODY) + "\"}}";
        assertError(send("PUT", "/admin/users/" + Fixtures.USER_ID, huge, withJson(admin())), 413, "validation_failed");
        assertNull(lastUpsert.get());
    }

    @Test
    void deleteUserAnswers204() throws Exception {
        HttpResponse<String> response = send("DELETE", "/admin/users/" + Fixtures.USER_ID, null, admin());
        assertEquals(204, response.statusCode());
        assertEquals(Fixtures.USER_ID, lastDelete.get());
    }

    /** Each of these would have written or deleted before: the parameter was ignored. */
    @Test
    void everyRouteThatWritesRefusesAQueryParameterItDoesNotRead() throws Exception {
        String user = "/admin/users/" + Fixtures.USER_ID;
        String factor = user + "/factors/" + FACTOR;
        String client = "/admin/oauth-clients/" + CLIENT;
        String startBody = "{\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"password\"}";
        List<String[]> requests = List.of(
                new String[] {"PUT", user + "?email=ada@example.com", "{}", "email"},
                new String[] {"DELETE", user + "?soft=true", null, "soft"},
                new String[] {"DELETE", user + "?cascade=", null, "cascade"},
                new String[] {"POST", "/admin/sessions?not_after=2030-01-01T00:00:00Z", startBody, "not_after"},
                new String[] {"POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa?keep_others=true", STEP_UP_BODY, "keep_others"},
                new String[] {"PUT", factor + "?factor_type=totp", "{\"factor_type\":\"totp\"}", "factor_type"},
                new String[] {"DELETE", factor + "?x", null, "\"x\""},
                new String[] {"PUT", client + "?client_type=public", "{\"client_type\":\"public\"}", "client_type"},
                new String[] {"DELETE", client + "?=", null, "\"\""});
        for (String[] request : requests) {
            JsonNode body = assertError(send(request[0], request[1], request[2], withJson(admin())), 400, "validation_failed");
            String message = body.get("msg").asText();
            assertTrue(message.contains(request[3]) && message.contains("takes no query parameters"), request[1] + ": " + message);
        }
        assertNull(lastUpsert.get());
        assertNull(lastDelete.get());
        assertNull(lastStart.get());
        assertNull(lastStepUp.get());
        assertNull(lastRegisterFactor.get());
        assertNull(lastRemoveFactor.get());
        assertNull(lastUpsertClient.get());
        assertNull(lastDeleteClient.get());
    }

    /** A misspelt field would be ignored, and the write would do less (no ban) or more (no expiry) than asked. */
    @Test
    void everyRouteThatWritesRefusesABodyFieldItDoesNotRead() throws Exception {
        String user = "/admin/users/" + Fixtures.USER_ID;
        String factor = user + "/factors/" + FACTOR;
        String client = "/admin/oauth-clients/" + CLIENT;
        String start = "\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"password\"";
        List<String[]> requests = List.of(
                new String[] {"PUT", user, "{\"email\":\"ada@example.com\",\"banned_untill\":\"2031-01-01T00:00:00Z\"}", "\"banned_untill\""},
                new String[] {"PUT", user, "{\"Email\":\"ada@example.com\"}", "\"Email\" (names are case-sensitive: email)"},
                new String[] {"PUT", user, "{\"ban_duration\":\"24h\"}", "\"ban_duration\""},
                new String[] {"POST", "/admin/sessions", "{" + start + ",\"not_afer\":\"2030-01-01T00:00:00Z\"}", "\"not_afer\""},
                new String[] {"POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", "{\"factor_id\":\"" + FACTOR
                        + "\",\"method\":\"totp\",\"keep_others\":true}", "\"keep_others\""},
                new String[] {"PUT", factor, "{\"factor_type\":\"totp\",\"friendly_name\":\"phone\"}", "\"friendly_name\""},
                new String[] {"PUT", client, "{\"client_type\":\"public\",\"redirect_uris\":[]}", "\"redirect_uris\""},
                new String[] {"DELETE", user, "{\"soft\":true}", "no request body"},
                new String[] {"DELETE", factor, "{\"x\":1}", "no request body"},
                new String[] {"DELETE", client, "x", "no request body"});
        for (String[] request : requests) {
            JsonNode body = assertError(send(request[0], request[1], request[2], withJson(admin())), 400, "validation_failed");
            assertTrue(body.get("msg").asText().contains(request[3]), request[2] + ": " + body.get("msg").asText());
        }
        assertNull(lastUpsert.get());
        assertNull(lastDelete.get());
        assertNull(lastStart.get());
        assertNull(lastStepUp.get());
        assertNull(lastRegisterFactor.get());
        assertNull(lastRemoveFactor.get());
        assertNull(lastUpsertClient.get());
        assertNull(lastDeleteClient.get());
    }

    /** Javalin would route by the header: a GET, PUT or POST could delete, unseen by anything reading the request line. */
    @Test
    void aMethodOverrideHeaderIsRefusedWhateverItNames() throws Exception {
        String user = "/admin/users/" + Fixtures.USER_ID;
        for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
            for (String override : List.of("DELETE", "delete", "PUT", "GET", method)) {
                HttpResponse<String> response = send(method, user, method.equals("PUT") ? "{}" : null,
                        withJson(admin("X-HTTP-Method-Override", override)));
                assertValidation(response, "X-HTTP-Method-Override");
            }
        }
        assertNull(lastDelete.get());
        assertNull(lastUpsert.get());
        assertValidation(send("POST", "/logout", null, "Authorization", "Bearer " + ACCESS_TOKEN, "X-HTTP-Method-Override", "GET"),
                "X-HTTP-Method-Override");
        assertNull(lastLogout.get());
    }

    @Test
    void deletingAMissingUserIs404() throws Exception {
        deleteFailure.set(Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found"));
        assertError(send("DELETE", "/admin/users/" + Fixtures.USER_ID, null, admin()), 404, "user_not_found");
    }

    @Test
    void startSessionAnswers201WithTokensAndTheSession() throws Exception {
        FactorId factor = FactorId.parse("12345678-1234-4234-8234-123456789abc");
        Session full = new Session(Fixtures.SESSION_ID, Fixtures.USER_ID, Fixtures.CREATED, Fixtures.UPDATED, factor, Aal.AAL2,
                Instant.parse("2030-06-01T00:00:00Z"), Instant.parse("2024-05-03T00:00:00Z"), "browser/9", "2001:db8::1", "web", CLIENT,
                HmacKey.of(new byte[32]), 0, new Scopes("openid email"));
        start.set(command -> {
            lastStart.set(command);
            return grant(full, false, List.of());
        });
        String body = "{\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"mfa/webauthn\",\"aal\":\"aal2\","
                + "\"factor_id\":\"" + factor + "\",\"not_after\":\"2030-06-01T00:00:00Z\",\"user_agent\":\"browser/9\","
                + "\"ip\":\"2001:db8::1\",\"tag\":\"web\",\"oauth_client_id\":\"" + CLIENT + "\",\"scopes\":\"openid email\"}";

        HttpResponse<String> response = send("POST", "/admin/sessions", body, withJson(admin("User-Agent", "login-service/1")));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals("no-store", header(response, "Cache-Control"));
        JsonNode json = json(response);
        assertEquals("signed.access.jwt", json.get("access_token").asText());
        assertEquals("bearer", json.get("token_type").asText());
        assertEquals(3600, json.get("expires_in").asLong());
        assertEquals(EXPIRES_AT.getEpochSecond(), json.get("expires_at").asLong());
        assertEquals(REFRESH_TOKEN, json.get("refresh_token").asText());
        assertEquals(Fixtures.USER_ID.toString(), json.get("user").get("id").asText());
        JsonNode session = json.get("session");
        List<String> names = new ArrayList<>();
        session.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("id", "user_id", "created_at", "updated_at", "refreshed_at", "user_agent", "ip", "aal", "factor_id",
                "not_after", "tag", "oauth_client_id", "scopes"), names);
        assertEquals(Fixtures.SESSION_ID.toString(), session.get("id").asText());
        assertEquals(Fixtures.USER_ID.toString(), session.get("user_id").asText());
        assertEquals("2024-05-03T00:00:00Z", session.get("refreshed_at").asText());
        assertEquals("aal2", session.get("aal").asText());
        assertEquals(factor.toString(), session.get("factor_id").asText());
        assertEquals("2030-06-01T00:00:00Z", session.get("not_after").asText());
        assertEquals(CLIENT.toString(), session.get("oauth_client_id").asText());
        assertEquals("openid email", session.get("scopes").asText());

        StartSessionUseCase.Command command = lastStart.get();
        assertEquals(Fixtures.USER_ID, command.userId());
        assertEquals(AuthenticationMethod.MFA_WEBAUTHN, command.method());
        assertEquals(Aal.AAL2, command.aal());
        assertEquals(factor, command.factorId());
        assertEquals(Instant.parse("2030-06-01T00:00:00Z"), command.notAfter());
        assertEquals("browser/9", command.userAgent(), "the end user's agent from the body, not the caller's");
        assertEquals("2001:db8::1", command.ip());
        assertEquals("web", command.tag());
        assertEquals(CLIENT, command.oauthClientId());
        assertEquals(new Scopes("openid email"), command.scopes());
    }

    @Test
    void startSessionWithOnlyTheRequiredFields() throws Exception {
        HttpResponse<String> response = send("POST", "/admin/sessions",
                "{\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"password\",\"aal\":null}",
                withJson(admin("X-Forwarded-For", "198.51.100.7")));

        assertEquals(201, response.statusCode(), response.body());
        JsonNode session = json(response).get("session");
        assertTrue(session.get("factor_id").isNull());
        assertTrue(session.get("not_after").isNull());
        assertTrue(session.get("refreshed_at").isNull());
        StartSessionUseCase.Command command = lastStart.get();
        assertEquals(AuthenticationMethod.PASSWORD, command.method());
        assertEquals(Aal.AAL1, command.aal());
        assertNull(command.ip(), "the admin caller's own address is never recorded");
        assertNull(command.userAgent());
        assertNull(command.scopes());
    }

    @Test
    void startSessionRefusesBadFields() throws Exception {
        String user = "\"user_id\":\"" + Fixtures.USER_ID + "\"";
        String method = "\"authentication_method\":\"password\"";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{" + method + "}", "user_id");
        cases.put("{\"user_id\":\"nope\"," + method + "}", "user_id");
        cases.put("{\"user_id\":12," + method + "}", "user_id");
        cases.put("{" + user + "}", "authentication_method");
        cases.put("{" + user + ",\"authentication_method\":\"carrier-pigeon\"}", "authentication_method");
        cases.put("{" + user + "," + method + ",\"aal\":\"aal9\"}", "aal");
        cases.put("{" + user + "," + method + ",\"factor_id\":\"x\"}", "factor_id");
        cases.put("{" + user + "," + method + ",\"not_after\":\"next week\"}", "not_after");
        cases.put("{" + user + "," + method + ",\"not_after\":\"99999-01-01T00:00:00Z\"}", "not_after");
        cases.put("{" + user + "," + method + ",\"ip\":\"not-an-ip\"}", "ip");
        cases.put("{" + user + "," + method + ",\"ip\":\"localhost\"}", "ip");
        cases.put("{" + user + "," + method + ",\"ip\":\"256.1.1.1\"}", "ip");
        cases.put("{" + user + "," + method + ",\"ip\":\"fe80::1%eth0\"}", "ip");
        cases.put("{" + user + "," + method + ",\"ip\":7}", "ip");
        cases.put("{" + user + "," + method + ",\"user_agent\":[]}", "user_agent");
        cases.put("{" + user + "," + method + ",\"tag\":false}", "tag");
        cases.put("{" + user + "," + method + ",\"oauth_client_id\":\"client-1\"}", "oauth_client_id");
        cases.put("{" + user + "," + method + ",\"scopes\":\"" + "s".repeat(Scopes.MAX_LENGTH + 1) + "\"}", "scopes");
        cases.put("{" + user + "," + method + ",\"scopes\":1}", "scopes");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            assertValidation(send("POST", "/admin/sessions", entry.getKey(), withJson(admin())), entry.getValue());
        }
        assertNull(lastStart.get());
        String atLimit = "{" + user + "," + method + ",\"scopes\":\"" + "s".repeat(Scopes.MAX_LENGTH) + "\"}";
        assertEquals(201, send("POST", "/admin/sessions", atLimit, withJson(admin())).statusCode());
    }

    @Test
    void startSessionRejectionsMap() throws Exception {
        start.set(command -> {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        });
        String body = "{\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"otp\"}";
        assertError(send("POST", "/admin/sessions", body, withJson(admin())), 404, "user_not_found");
    }

    @Test
    void startSessionRefusesNulInEveryFreeTextField() throws Exception {
        String required = "\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"password\"";
        for (String field : List.of("user_agent", "tag", "scopes", "ip")) {
            JsonNode body = assertError(send("POST", "/admin/sessions", "{" + required + ",\"" + field + "\":\"a\\u0000b\"}",
                    withJson(admin())), 400, "validation_failed");
            assertTrue(body.get("msg").asText().startsWith(field + " "), body.get("msg").asText());
        }
        assertNull(lastStart.get());
    }

    @Test
    void startSessionScopesFollowTheDomainRule() throws Exception {
        String required = "\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"oauth\"";
        JsonNode tooLong = assertError(send("POST", "/admin/sessions",
                "{" + required + ",\"scopes\":\"" + "s".repeat(Scopes.MAX_LENGTH + 1) + "\"}", withJson(admin())), 400, "validation_failed");
        assertEquals("scopes must be at most 4096 characters", tooLong.get("msg").asText());
        assertNull(lastStart.get());

        assertEquals(201, send("POST", "/admin/sessions", "{" + required + ",\"scopes\":\"\"}", withJson(admin())).statusCode());
        assertEquals(new Scopes(""), lastStart.get().scopes());
        assertEquals(201, send("POST", "/admin/sessions", "{" + required + ",\"scopes\":null}", withJson(admin())).statusCode());
        assertNull(lastStart.get().scopes());
    }

    // ---------------------------------------------------------------- admin: new routes need the admin key

    @Test
    void everyNewAdminRouteNeedsAnAdminKey() throws Exception {
        String factor = "/admin/users/" + Fixtures.USER_ID + "/factors/" + FACTOR;
        String client = "/admin/oauth-clients/" + CLIENT;
        String stepUpPath = "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa";
        for (String[] headers : List.of(new String[0], new String[] {"Authorization", "Bearer wrong-key"},
                new String[] {"Authorization", "Bearer " + ADMIN_KEY.substring(1)}, new String[] {"Authorization", "Basic " + ADMIN_KEY},
                new String[] {"Authorization", ADMIN_KEY})) {
            assertError(send("POST", stepUpPath, STEP_UP_BODY, withJson(headers)), 401, "no_authorization");
            assertError(send("PUT", factor, "{\"factor_type\":\"totp\"}", withJson(headers)), 401, "no_authorization");
            assertError(send("DELETE", factor, null, headers), 401, "no_authorization");
            assertError(send("PUT", client, "{}", withJson(headers)), 401, "no_authorization");
            assertError(send("DELETE", client, null, headers), 401, "no_authorization");
            // The key is checked before anything in the request is looked at.
            assertError(send("PUT", "/admin/users/x/factors/y", "{\"factor_type\":", withJson(headers)), 401, "no_authorization");
            assertError(send("DELETE", "/admin/oauth-clients/x", null, headers), 401, "no_authorization");
            assertError(send("POST", "/admin/sessions/x/mfa", "[", withJson(headers)), 401, "no_authorization");
        }
        assertNull(lastStepUp.get());
        assertNull(lastRegisterFactor.get());
        assertNull(lastRemoveFactor.get());
        assertNull(lastUpsertClient.get());
        assertNull(lastDeleteClient.get());
        assertEquals(201, send("PUT", client, "{\"client_type\":\"public\"}",
                withJson("Authorization", "Bearer " + OTHER_ADMIN_KEY)).statusCode(), "every configured key is accepted");
    }

    // ---------------------------------------------------------------- POST /admin/sessions/{id}/mfa

    private static final FactorId FACTOR = FactorId.parse("12345678-1234-4234-8234-123456789abc");
    private static final String STEP_UP_BODY = "{\"factor_id\":\"" + FACTOR + "\",\"method\":\"totp\"}";

    @Test
    void stepUpAnswersLikeTheTokenEndpoint() throws Exception {
        HttpResponse<String> response = send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", STEP_UP_BODY, withJson(admin()));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", header(response, "Cache-Control"));
        assertEquals(Fixtures.SESSION_ID.toString(), header(response, "sb-auth-session-id"));
        assertEquals(Fixtures.USER_ID.toString(), header(response, "sb-auth-user-id"));
        assertEquals("9", header(response, "sb-auth-refresh-token-counter"));
        JsonNode body = json(response);
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("access_token", "token_type", "expires_in", "expires_at", "refresh_token", "user"), names);
        assertEquals("signed.access.jwt", body.get("access_token").asText());
        assertEquals("bearer", body.get("token_type").asText());
        assertEquals(3600, body.get("expires_in").asLong());
        assertEquals(EXPIRES_AT.getEpochSecond(), body.get("expires_at").asLong());
        assertEquals(REFRESH_TOKEN, body.get("refresh_token").asText());
        assertEquals(Fixtures.USER_ID.toString(), body.get("user").get("id").asText());

        StepUpSessionUseCase.Command command = lastStepUp.get();
        assertEquals(Fixtures.SESSION_ID, command.sessionId());
        assertEquals(FACTOR, command.factorId());
        assertEquals(AuthenticationMethod.TOTP, command.method());
    }

    @Test
    void stepUpTakesEverySecondFactorMethod() throws Exception {
        Map<String, AuthenticationMethod> methods = Map.of("totp", AuthenticationMethod.TOTP, "mfa/phone", AuthenticationMethod.MFA_PHONE,
                "mfa/webauthn", AuthenticationMethod.MFA_WEBAUTHN);
        for (Map.Entry<String, AuthenticationMethod> method : methods.entrySet()) {
            HttpResponse<String> response = send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa",
                    "{\"factor_id\":\"" + FACTOR + "\",\"method\":\"" + method.getKey() + "\"}", withJson(admin()));
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(method.getValue(), lastStepUp.get().method());
        }
    }

    @Test
    void stepUpRefusesBadBodies() throws Exception {
        String factor = "\"factor_id\":\"" + FACTOR + "\"";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"method\":\"totp\"}", "factor_id is required");
        cases.put("{\"factor_id\":null,\"method\":\"totp\"}", "factor_id is required");
        cases.put("{\"factor_id\":\"not-a-uuid\",\"method\":\"totp\"}", "factor_id must be a UUID");
        cases.put("{\"factor_id\":42,\"method\":\"totp\"}", "factor_id must be a string");
        cases.put("{" + factor + "}", "method is required");
        cases.put("{" + factor + ",\"method\":\"password\"}", "method must be one of: totp, mfa/phone, mfa/webauthn");
        cases.put("{" + factor + ",\"method\":\"TOTP\"}", "method must be one of: totp, mfa/phone, mfa/webauthn");
        cases.put("{" + factor + ",\"method\":\"sms\"}", "method must be one of: totp, mfa/phone, mfa/webauthn");
        cases.put("{" + factor + ",\"method\":[\"totp\"]}", "method must be a string");
        cases.put("[]", "Request body must be a JSON object");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            JsonNode body = assertError(send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", entry.getKey(), withJson(admin())),
                    400, "validation_failed");
            assertEquals(entry.getValue(), body.get("msg").asText(), entry.getKey());
        }
        assertValidation(send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", null, admin()), "factor_id is required");
        assertError(send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", "{\"factor_id\":", withJson(admin())), 400, "bad_json");
        assertError(send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", "factor_id=" + FACTOR,
                admin("Content-Type", "application/x-www-form-urlencoded")), 400, "bad_json");
        assertNull(lastStepUp.get());
    }

    @Test
    void stepUpNeedsASessionUuidInThePath() throws Exception {
        for (String id : List.of("not-a-uuid", "1-1-1-1-1", "aaaaaaaabbbb4ccc8dddeeeeeeeeeeee")) {
            JsonNode body = assertError(send("POST", "/admin/sessions/" + id + "/mfa", STEP_UP_BODY, withJson(admin())), 400,
                    "validation_failed");
            assertEquals("the session id in the path must be a UUID", body.get("msg").asText());
        }
        assertNull(lastStepUp.get());
    }

    @Test
    void stepUpRejectionsMap() throws Exception {
        stepUp.set(command -> {
            throw Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found");
        });
        assertError(send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", STEP_UP_BODY, withJson(admin())), 404,
                "session_not_found");
        stepUp.set(command -> {
            throw Rejection.validation("factor_id is not a factor of the session's user");
        });
        assertValidation(send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", STEP_UP_BODY, withJson(admin())),
                "factor_id is not a factor");
        stepUp.set(command -> {
            throw Rejection.badRequest(ErrorCode.SESSION_EXPIRED, "Session Expired");
        });
        assertError(send("POST", "/admin/sessions/" + Fixtures.SESSION_ID + "/mfa", STEP_UP_BODY, withJson(admin())), 400,
                "session_expired");
    }

    // ---------------------------------------------------------------- PUT/DELETE /admin/users/{id}/factors/{factor_id}

    private String factorPath() {
        return "/admin/users/" + Fixtures.USER_ID + "/factors/" + FACTOR;
    }

    @Test
    void registerFactorCreatesWith201AndUpdatesWith200() throws Exception {
        HttpResponse<String> created = send("PUT", factorPath(), "{\"factor_type\":\"webauthn\"}", withJson(admin()));

        assertEquals(201, created.statusCode(), created.body());
        JsonNode body = json(created);
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("id", "user_id", "factor_type", "status", "created_at", "updated_at"), names);
        assertEquals(FACTOR.toString(), body.get("id").asText());
        assertEquals(Fixtures.USER_ID.toString(), body.get("user_id").asText());
        assertEquals("webauthn", body.get("factor_type").asText());
        assertEquals("verified", body.get("status").asText());
        assertEquals("2024-05-01T10:00:00.123456Z", body.get("created_at").asText());
        assertEquals("2024-05-02T11:30:00Z", body.get("updated_at").asText());
        RegisterFactorUseCase.Command command = lastRegisterFactor.get();
        assertEquals(Fixtures.USER_ID, command.userId());
        assertEquals(FACTOR, command.factorId());
        assertEquals(FactorType.WEBAUTHN, command.type());

        registerFactor.set(c -> new RegisterFactorUseCase.Result(MfaFactor.verified(c.factorId(), c.userId(), c.type(), Fixtures.UPDATED),
                false));
        for (String type : List.of("totp", "phone")) {
            HttpResponse<String> updated = send("PUT", factorPath(), "{\"factor_type\":\"" + type + "\"}", withJson(admin()));
            assertEquals(200, updated.statusCode(), updated.body());
            assertEquals(type, json(updated).get("factor_type").asText());
        }
    }

    @Test
    void registerFactorRefusesBadBodies() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{}", "factor_type is required");
        cases.put("{\"factor_type\":null}", "factor_type is required");
        cases.put("{\"factor_type\":\"sms\"}", "factor_type must be one of: totp, phone, webauthn");
        cases.put("{\"factor_type\":\"TOTP\"}", "factor_type must be one of: totp, phone, webauthn");
        cases.put("{\"factor_type\":\"mfa/phone\"}", "factor_type must be one of: totp, phone, webauthn");
        cases.put("{\"factor_type\":1}", "factor_type must be a string");
        cases.put("\"totp\"", "Request body must be a JSON object");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            JsonNode body = assertError(send("PUT", factorPath(), entry.getKey(), withJson(admin())), 400, "validation_failed");
            assertEquals(entry.getValue(), body.get("msg").asText(), entry.getKey());
        }
        assertError(send("PUT", factorPath(), "{\"factor_type\":\"totp\",}", withJson(admin())), 400, "bad_json");
        assertError(send("PUT", factorPath(), "factor_type=totp", admin("Content-Type", "application/x-www-form-urlencoded")), 400,
                "bad_json");
        assertNull(lastRegisterFactor.get());
    }

    @Test
    void factorRoutesNeedUuidsInBothPathParameters() throws Exception {
        for (String bad : List.of("not-a-uuid", "1-1-1-1-1", "12345678123442348234123456789abc")) {
            String badUser = "/admin/users/" + bad + "/factors/" + FACTOR;
            String badFactor = "/admin/users/" + Fixtures.USER_ID + "/factors/" + bad;
            assertEquals("the user id in the path must be a UUID",
                    assertError(send("PUT", badUser, "{\"factor_type\":\"totp\"}", withJson(admin())), 400, "validation_failed")
                            .get("msg").asText());
            assertEquals("the factor id in the path must be a UUID",
                    assertError(send("PUT", badFactor, "{\"factor_type\":\"totp\"}", withJson(admin())), 400, "validation_failed")
                            .get("msg").asText());
            assertEquals("the user id in the path must be a UUID",
                    assertError(send("DELETE", badUser, null, admin()), 400, "validation_failed").get("msg").asText());
            assertEquals("the factor id in the path must be a UUID",
                    assertError(send("DELETE", badFactor, null, admin()), 400, "validation_failed").get("msg").asText());
        }
        assertNull(lastRegisterFactor.get());
        assertNull(lastRemoveFactor.get());
    }

    @Test
    void registerFactorRejectionsMap() throws Exception {
        registerFactor.set(command -> {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        });
        assertError(send("PUT", factorPath(), "{\"factor_type\":\"totp\"}", withJson(admin())), 404, "user_not_found");
        registerFactor.set(command -> {
            throw Rejection.validation("factor_id is a factor of another user");
        });
        assertValidation(send("PUT", factorPath(), "{\"factor_type\":\"totp\"}", withJson(admin())), "factor_id");
    }

    @Test
    void removeFactorAnswers204() throws Exception {
        HttpResponse<String> response = send("DELETE", factorPath(), null, admin());
        assertEquals(204, response.statusCode(), response.body());
        assertEquals("", response.body());
        assertEquals(List.of(Fixtures.USER_ID, FACTOR), lastRemoveFactor.get());
    }

    @Test
    void removingAMissingFactorOrUserIs404() throws Exception {
        removeFactorFailure.set(Rejection.notFound(ErrorCode.FACTOR_NOT_FOUND, "MFA factor not found"));
        assertError(send("DELETE", factorPath(), null, admin()), 404, "mfa_factor_not_found");
        removeFactorFailure.set(Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found"));
        assertError(send("DELETE", factorPath(), null, admin()), 404, "user_not_found");
        assertNull(lastRemoveFactor.get());
    }

    // ---------------------------------------------------------------- PUT/DELETE /admin/oauth-clients/{id}

    @Test
    void upsertOAuthClientCreatesWith201AndNeverShowsTheSecret() throws Exception {
        String secret = "very-secret-client-value";
        HttpResponse<String> created = send("PUT", "/admin/oauth-clients/" + CLIENT,
                "{\"client_name\":\"Web app\",\"client_type\":\"confidential\",\"client_secret\":\"" + secret + "\"}", withJson(admin()));

        assertEquals(201, created.statusCode(), created.body());
        JsonNode body = json(created);
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("id", "client_name", "client_type", "created_at", "updated_at"), names);
        assertEquals(CLIENT.toString(), body.get("id").asText());
        assertEquals("Web app", body.get("client_name").asText());
        assertEquals("confidential", body.get("client_type").asText());
        assertEquals("2024-05-01T10:00:00.123456Z", body.get("created_at").asText());
        assertEquals("2024-05-02T11:30:00Z", body.get("updated_at").asText());
        assertFalse(created.body().contains(secret), created.body());
        assertFalse(created.body().contains(ClientAuthentication.hashOf(secret)), created.body());
        UpsertOAuthClientUseCase.Command command = lastUpsertClient.get();
        assertEquals(CLIENT, command.id());
        assertEquals("Web app", command.clientName());
        assertEquals(OAuthClient.Type.CONFIDENTIAL, command.clientType());
        assertEquals(secret, command.clientSecret());
        assertFalse(command.toString().contains(secret));
    }

    @Test
    void upsertOAuthClientUpdatesWith200AndLeavesDefaultsToTheUseCase() throws Exception {
        upsertClient.set(command -> {
            lastUpsertClient.set(command);
            return new UpsertOAuthClientUseCase.Result(
                    new OAuthClient(command.id(), null, OAuthClient.Type.PUBLIC, null, Fixtures.CREATED, Fixtures.UPDATED), false);
        });
        HttpResponse<String> updated = send("PUT", "/admin/oauth-clients/" + CLIENT, "{\"client_type\":\"public\",\"client_name\":null}",
                withJson(admin()));
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("public", json(updated).get("client_type").asText());
        assertTrue(json(updated).get("client_name").isNull());
        assertEquals(OAuthClient.Type.PUBLIC, lastUpsertClient.get().clientType());
        assertNull(lastUpsertClient.get().clientName());
        assertNull(lastUpsertClient.get().clientSecret());

        assertEquals(200, send("PUT", "/admin/oauth-clients/" + CLIENT, null, admin()).statusCode());
        assertNull(lastUpsertClient.get().clientType(), "an absent type is the use case's default");
        assertNull(lastUpsertClient.get().clientName());
        assertNull(lastUpsertClient.get().clientSecret());
    }

    @Test
    void upsertOAuthClientRefusesBadFields() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"client_type\":\"private\"}", "client_type must be one of: public, confidential");
        cases.put("{\"client_type\":\"Public\"}", "client_type must be one of: public, confidential");
        cases.put("{\"client_type\":true}", "client_type must be a string");
        cases.put("{\"client_name\":5}", "client_name must be a string");
        cases.put("{\"client_name\":\"a\\u0000b\"}", "client_name must not contain NUL characters");
        cases.put("{\"client_secret\":[\"s\"]}", "client_secret must be a string");
        cases.put("{\"client_secret\":\"s\\u0000\"}", "client_secret must not contain NUL characters");
        cases.put("[{}]", "Request body must be a JSON object");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            JsonNode body = assertError(send("PUT", "/admin/oauth-clients/" + CLIENT, entry.getKey(), withJson(admin())), 400,
                    "validation_failed");
            assertEquals(entry.getValue(), body.get("msg").asText(), entry.getKey());
        }
        assertError(send("PUT", "/admin/oauth-clients/" + CLIENT, "{\"client_secret\":\"SECRET-XYZ", withJson(admin())), 400, "bad_json");
        assertError(send("PUT", "/admin/oauth-clients/" + CLIENT, "client_name=web",
                admin("Content-Type", "application/x-www-form-urlencoded")), 400, "bad_json");
        assertNull(lastUpsertClient.get());
    }

    @Test
    void upsertOAuthClientRejectionsMapWithoutTheSecret() throws Exception {
        upsertClient.set(command -> {
            throw Rejection.validation("client_secret is required for a confidential client");
        });
        HttpResponse<String> response = send("PUT", "/admin/oauth-clients/" + CLIENT, "{\"client_type\":\"confidential\"}",
                withJson(admin()));
        assertValidation(response, "client_secret");
    }

    @Test
    void oauthClientRoutesNeedAUuidInThePath() throws Exception {
        for (String bad : List.of("client-1", "1-1-1-1-1", "99999999888847778666555555555555")) {
            assertEquals("the oauth client id in the path must be a UUID",
                    assertError(send("PUT", "/admin/oauth-clients/" + bad, "{}", withJson(admin())), 400, "validation_failed")
                            .get("msg").asText());
            assertEquals("the oauth client id in the path must be a UUID",
                    assertError(send("DELETE", "/admin/oauth-clients/" + bad, null, admin()), 400, "validation_failed").get("msg").asText());
        }
        assertNull(lastUpsertClient.get());
        assertNull(lastDeleteClient.get());
    }

    @Test
    void deleteOAuthClientAnswers204() throws Exception {
        HttpResponse<String> response = send("DELETE", "/admin/oauth-clients/" + CLIENT, null, admin());
        assertEquals(204, response.statusCode(), response.body());
        assertEquals(CLIENT, lastDeleteClient.get());
    }

    @Test
    void deletingAMissingOAuthClientIs404() throws Exception {
        deleteClientFailure.set(Rejection.notFound(ErrorCode.OAUTH_CLIENT_NOT_FOUND, "OAuth client not found"));
        assertError(send("DELETE", "/admin/oauth-clients/" + CLIENT, null, admin()), 404, "oauth_client_not_found");
        assertNull(lastDeleteClient.get());
    }

    // ---------------------------------------------------------------- POST /token: OAuth client authentication

    private static final OAuthClientId PUBLIC_CLIENT = OAuthClientId.parse("77777777-6666-4555-8444-333333333333");
    private static final String CLIENT_SECRET = "confidential-secret-value";

    /**
     * A refresh fake that checks the credentials with the application's real {@link ClientAuthentication}, so
     * the refusals are the rule's own: token {@code oauth-confidential} is a session of the confidential
     * {@link #CLIENT}, {@code oauth-public} one of {@link #PUBLIC_CLIENT}, any other a plain session.
     */
    private void refreshChecksClients() {
        Map<OAuthClientId, OAuthClient> clients = Map.of(
                CLIENT, new OAuthClient(CLIENT, "web", OAuthClient.Type.CONFIDENTIAL, ClientAuthentication.hashOf(CLIENT_SECRET),
                        Fixtures.CREATED, Fixtures.UPDATED),
                PUBLIC_CLIENT, new OAuthClient(PUBLIC_CLIENT, "spa", OAuthClient.Type.PUBLIC, null, Fixtures.CREATED, Fixtures.UPDATED));
        ClientAuthentication authentication = new ClientAuthentication(new OAuthClientRepository() {
            @Override
            public Optional<OAuthClient> findById(OAuthClientId id) {
                return Optional.ofNullable(clients.get(id));
            }

            @Override
            public boolean upsert(OAuthClient client) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean delete(OAuthClientId id) {
                throw new UnsupportedOperationException();
            }
        });
        refresh.set(command -> {
            OAuthClientId owner = switch (command.refreshToken()) {
                case "oauth-confidential" -> CLIENT;
                case "oauth-public" -> PUBLIC_CLIENT;
                default -> null;
            };
            Session session = new Session(Fixtures.SESSION_ID, Fixtures.USER_ID, Fixtures.CREATED, Fixtures.UPDATED, null, Aal.AAL1,
                    null, null, "agent/1", "203.0.113.9", null, owner, HmacKey.of(new byte[32]), 3,
                    owner == null ? null : new Scopes("openid"));
            authentication.check(session, command.clientId(), command.clientSecret());
            lastRefresh.set(command);
            return grant(session, false, List.of());
        });
    }

    private HttpResponse<String> refreshJson(String token, String extraFields, String... headers) throws Exception {
        return postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"" + token + "\"" + extraFields + "}", headers);
    }

    private static void assertInvalidClient(HttpResponse<String> response, String description) throws Exception {
        assertInvalidClient(response);
        JsonNode body = json(response);
        assertEquals(description, body.get("error_description").asText());
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("error", "error_description"), names);
        assertFalse(response.body().contains(CLIENT_SECRET), response.body());
    }

    @Test
    void publicClientNeedsOnlyItsClientId() throws Exception {
        refreshChecksClients();
        HttpResponse<String> json = refreshJson("oauth-public", ",\"client_id\":\"" + PUBLIC_CLIENT + "\"");
        assertEquals(200, json.statusCode(), json.body());
        assertEquals(PUBLIC_CLIENT, lastRefresh.get().clientId());
        assertNull(lastRefresh.get().clientSecret());

        lastRefresh.set(null);
        HttpResponse<String> form = send("POST", "/token", "grant_type=refresh_token&refresh_token=oauth-public&client_id=" + PUBLIC_CLIENT,
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(200, form.statusCode(), form.body());
        assertEquals(PUBLIC_CLIENT, lastRefresh.get().clientId());

        lastRefresh.set(null);
        HttpResponse<String> basic = refreshJson("oauth-public", "", "Authorization", basic(PUBLIC_CLIENT.toString(), ""));
        assertEquals(200, basic.statusCode(), basic.body());
        assertEquals(PUBLIC_CLIENT, lastRefresh.get().clientId());
        assertNull(lastRefresh.get().clientSecret(), "an empty Basic password is no secret");
    }

    @Test
    void confidentialClientWithItsSecretInTheBody() throws Exception {
        refreshChecksClients();
        HttpResponse<String> json = refreshJson("oauth-confidential",
                ",\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"" + CLIENT_SECRET + "\"");
        assertEquals(200, json.statusCode(), json.body());
        assertEquals(CLIENT, lastRefresh.get().clientId());
        assertEquals(CLIENT_SECRET, lastRefresh.get().clientSecret());

        lastRefresh.set(null);
        HttpResponse<String> form = send("POST", "/token?grant_type=refresh_token",
                "refresh_token=oauth-confidential&client_id=" + CLIENT + "&client_secret=" + CLIENT_SECRET,
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(200, form.statusCode(), form.body());
        assertEquals(CLIENT_SECRET, lastRefresh.get().clientSecret());
    }

    @Test
    void confidentialClientWithHttpBasic() throws Exception {
        refreshChecksClients();
        HttpResponse<String> response = refreshJson("oauth-confidential", "", "Authorization", basic(CLIENT.toString(), CLIENT_SECRET));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(CLIENT, lastRefresh.get().clientId());
        assertEquals(CLIENT_SECRET, lastRefresh.get().clientSecret());

        lastRefresh.set(null);
        HttpResponse<String> sameIdInBoth = refreshJson("oauth-confidential", ",\"client_id\":\"" + CLIENT + "\"",
                "Authorization", basic(CLIENT.toString(), CLIENT_SECRET));
        assertEquals(200, sameIdInBoth.statusCode(), sameIdInBoth.body());
    }

    @Test
    void wrongOrMissingSecretIsInvalidClient() throws Exception {
        refreshChecksClients();
        assertInvalidClient(refreshJson("oauth-confidential", ",\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"guess\""),
                "Invalid client credentials");
        assertInvalidClient(refreshJson("oauth-confidential", "", "Authorization", basic(CLIENT.toString(), "guess")),
                "Invalid client credentials");
        assertInvalidClient(refreshJson("oauth-confidential", "", "Authorization", basic(CLIENT.toString(), CLIENT_SECRET + "x")),
                "Invalid client credentials");
        assertInvalidClient(refreshJson("oauth-confidential", ",\"client_id\":\"" + CLIENT + "\""), "Invalid client credentials");
        assertInvalidClient(refreshJson("oauth-confidential", ",\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"\""),
                "Invalid client credentials");
        assertNull(lastRefresh.get());
    }

    @Test
    void anOAuthSessionNeedsItsOwnClient() throws Exception {
        refreshChecksClients();
        assertInvalidClient(refreshJson("oauth-confidential", ""), "Client authentication required for OAuth session");
        assertInvalidClient(refreshJson("oauth-public", ""), "Client authentication required for OAuth session");
        assertInvalidClient(refreshJson("oauth-public", ",\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"" + CLIENT_SECRET + "\""),
                "Client does not match the session's OAuth client");
        assertNull(lastRefresh.get());
    }

    @Test
    void aClientIdOnANonOAuthSessionIsInvalidClient() throws Exception {
        refreshChecksClients();
        assertInvalidClient(refreshJson("plain", ",\"client_id\":\"" + PUBLIC_CLIENT + "\""),
                "Client authentication not allowed for non-OAuth session");
        assertInvalidClient(refreshJson("plain", "", "Authorization", basic(CLIENT.toString(), CLIENT_SECRET)),
                "Client authentication not allowed for non-OAuth session");
        assertNull(lastRefresh.get());
        assertEquals(200, refreshJson("plain", "").statusCode());
    }

    @Test
    void malformedClientCredentialsNeverReachTheUseCase() throws Exception {
        refreshChecksClients();
        assertInvalidClient(refreshJson("oauth-public", ",\"client_id\":\"not-a-uuid\""), "client_id is not a valid client id");
        assertInvalidClient(refreshJson("oauth-public", ",\"client_id\":\"1-1-1-1-1\""), "client_id is not a valid client id");
        assertInvalidClient(refreshJson("oauth-public", ",\"client_id\":\"" + PUBLIC_CLIENT + " \""), "client_id is not a valid client id");
        assertInvalidClient(refreshJson("oauth-public", ",\"client_id\":7"), "client_id must be a string");
        assertInvalidClient(refreshJson("oauth-public", ",\"client_id\":{}"), "client_id must be a string");
        assertInvalidClient(refreshJson("oauth-confidential", ",\"client_id\":\"" + CLIENT + "\",\"client_secret\":[\"" + CLIENT_SECRET
                + "\"]"), "client_secret must be a string");
        assertInvalidClient(refreshJson("oauth-confidential", ",\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"a\\u0000b\""),
                "client_secret must not contain NUL characters");
        assertInvalidClient(refreshJson("oauth-confidential", ",\"client_secret\":\"" + CLIENT_SECRET + "\""),
                "client_secret was sent without a client_id");
        assertInvalidClient(refreshJson("oauth-public", "", "Authorization", basic("not-a-uuid", "")), "client_id is not a valid client id");
        assertInvalidClient(refreshJson("oauth-public", "", "Authorization", "Basic !!!"),
                "The Basic Authorization header is not valid base64");
        assertInvalidClient(refreshJson("oauth-public", ",\"client_id\":\"" + CLIENT + "\"", "Authorization",
                basic(PUBLIC_CLIENT.toString(), "")), "client_id in the body does not match the Authorization header");
        assertNull(lastRefresh.get());
    }

    @Test
    void invalidClientKeepsOAuthsShapeForDatedApiClients() throws Exception {
        refreshChecksClients();
        HttpResponse<String> response = refreshJson("oauth-confidential", "", "X-Supabase-Api-Version", "2024-01-01");
        assertEquals(400, response.statusCode());
        assertEquals("invalid_client", json(response).get("error").asText());
        assertEquals("Client authentication required for OAuth session", json(response).get("error_description").asText());
        assertEquals("2024-01-01", header(response, "X-Supabase-Api-Version"));
    }

    // ---------------------------------------------------------------- POST /token: the User-Agent header

    /** Sends {@code /token} with a raw User-Agent header (bytes a well-behaved client would never send). */
    private String refreshWithRawUserAgent(byte[] userAgent) throws Exception {
        String body = "{\"refresh_token\":\"x\"}";
        java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
        request.writeBytes(("POST /token?grant_type=refresh_token HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nUser-Agent: ").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(userAgent);
        request.writeBytes(("\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(request.toByteArray());
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aTabInTheUserAgentIsDroppedAndOtherBytesKept() throws Exception {
        String answer = refreshWithRawUserAgent(new byte[] {'a', 'g', 'e', 'n', 't', 0x09, '/', '1', ' ', (byte) 0xe9});
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertEquals("agent/1 \u00e9", lastRefresh.get().userAgent());
    }

    @Test
    void aLongUserAgentIsCutToItsFirst1024CharactersAndALongTagRefused() throws Exception {
        String longAgent = "Mozilla/5.0 " + "x".repeat(60_000);
        assertEquals(200, send("POST", "/token?grant_type=refresh_token", "{\"refresh_token\":\"" + REFRESH_TOKEN + "\"}",
                withJson("User-Agent", longAgent)).statusCode());
        assertEquals(longAgent.substring(0, UserAgent.MAX_CHARACTERS), lastRefresh.get().userAgent());

        String start = "{\"user_id\":\"" + Fixtures.USER_ID + "\",\"authentication_method\":\"password\",";
        String reportedAgent = longAgent.substring(0, 5_000);
        assertEquals(201, send("POST", "/admin/sessions", start + "\"user_agent\":\"" + reportedAgent + "\"}", withJson(admin()))
                .statusCode());
        assertEquals(longAgent.substring(0, UserAgent.MAX_CHARACTERS), lastStart.get().userAgent());
        lastStart.set(null);
        assertValidation(send("POST", "/admin/sessions", start + "\"tag\":\"" + "t".repeat(256) + "\"}", withJson(admin())), "tag");
        assertNull(lastStart.get());

        // A character outside the BMP is one character, never cut in half.
        String emoji = "\ud83d\ude00".repeat(UserAgent.MAX_CHARACTERS + 1);
        assertEquals(emoji.substring(0, 2 * UserAgent.MAX_CHARACTERS), UserAgent.recorded(emoji));
    }

    @Test
    void nulAndControlCharactersInTheUserAgentAreA400NeverA500() throws Exception {
        for (byte control : new byte[] {0x00, 0x01, 0x1b, 0x7f}) {
            String answer = refreshWithRawUserAgent(new byte[] {'a', control, 'b'});
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals("validation_failed", body.get("error_code").asText());
        }
        assertNull(lastRefresh.get());
        // Should Jetty ever let one through, it is dropped before it reaches the use case.
        assertEquals("ab", UserAgent.withoutControlCharacters("a\u0000b"));
        assertEquals("a b\u00e9\u0085", UserAgent.withoutControlCharacters("\u0001a\u007f b\r\n\u00e9\u0085"));
        assertNull(UserAgent.withoutControlCharacters(null));
    }

    // ---------------------------------------------------------------- request log

    @Test
    void oneLogLinePerRequestWithTheRouteTemplateAndNoSecrets() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RequestLog.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        try {
            postJson("/token?grant_type=refresh_token", "{\"refresh_token\":\"" + REFRESH_TOKEN + "\"}",
                    "Authorization", basic(CLIENT.toString(), "client-secret-value"));
            send("PUT", "/admin/users/" + Fixtures.USER_ID, "{}", withJson(admin()));
            send("GET", "/user", null, "Authorization", "Bearer " + ACCESS_TOKEN);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(previous);
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("POST /token 200 "), lines.get(0));
        assertTrue(lines.get(1).startsWith("PUT /admin/users/{id} 201 "), lines.get(1));
        assertTrue(lines.get(2).startsWith("GET /user 200 "), lines.get(2));
        for (String line : lines) {
            for (String secret : List.of(REFRESH_TOKEN, ADMIN_KEY, ACCESS_TOKEN, "client-secret-value", Fixtures.USER_ID.toString())) {
                assertFalse(line.contains(secret), line);
            }
        }
    }
}
