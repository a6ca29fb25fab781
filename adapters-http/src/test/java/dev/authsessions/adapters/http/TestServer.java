package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.DeleteUserSessionsUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.LogoutUseCase;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The real {@link HttpServer} on a free port in front of replaceable fake use cases (each a function a
 * test sets), and a client to call it. Every fake starts out failing the test if it is called.
 */
final class TestServer implements AutoCloseable {
    static final String ADMIN_KEY = "admin-key-for-session-routes-0123456789";
    static final String ACCESS_TOKEN = "user.access.token";

    final AtomicReference<Function<String, Caller>> authenticate = new AtomicReference<>();
    final AtomicReference<Function<ListOwnSessionsUseCase.Query, ListOwnSessionsUseCase.Page>> listOwn = new AtomicReference<>();
    final AtomicReference<BiConsumer<Caller, SessionId>> endOwn = new AtomicReference<>();
    final AtomicReference<Function<SessionId, SessionDetails>> read = new AtomicReference<>();
    final AtomicReference<Function<ListUserSessionsUseCase.Query, ListUserSessionsUseCase.Page>> listOfUser =
            new AtomicReference<>();
    final AtomicReference<Consumer<SessionId>> delete = new AtomicReference<>();
    final AtomicReference<ToIntFunction<DeleteUserSessionsUseCase.Command>> deleteOfUser = new AtomicReference<>();
    final AtomicReference<Function<RefreshSessionUseCase.Command, TokenGrant>> refresh = new AtomicReference<>();
    final AtomicReference<Function<UpsertUserUseCase.Command, UpsertUserUseCase.Result>> upsertUser = new AtomicReference<>();
    final AtomicReference<Consumer<UserId>> deleteUser = new AtomicReference<>();
    final AtomicReference<Function<StartSessionUseCase.Command, TokenGrant>> startSession = new AtomicReference<>();
    final AtomicReference<BiConsumer<Caller, LogoutUseCase.Scope>> logout = new AtomicReference<>();

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    TestServer() {
        this(CorsSettings.defaults());
    }

    TestServer(CorsSettings cors) {
        this(cors, HttpOperations.standalone());
    }

    /** With the server's own timeouts, registry and readiness, for tests of how it treats connections. */
    TestServer(CorsSettings cors, HttpOperations operations) {
        reset();
        server = new HttpServer(
                new HttpSettings("127.0.0.1", 0, List.of(ADMIN_KEY), List.of(), 8192, cors),
                command -> upsertUser.get().apply(command),
                id -> deleteUser.get().accept(id),
                command -> startSession.get().apply(command),
                command -> refresh.get().apply(command),
                (caller, scope) -> logout.get().accept(caller, scope),
                token -> authenticate.get().apply(token),
                () -> Map.of("keys", List.of(Map.of("kty", "EC", "kid", "k1", "use", "sig", "crv", "P-256"))),
                command -> {
                    throw new AssertionError("step-up is not expected here");
                },
                command -> {
                    throw new AssertionError("factor registration is not expected here");
                },
                (userId, factorId) -> {
                    throw new AssertionError("factor removal is not expected here");
                },
                command -> {
                    throw new AssertionError("OAuth client upsert is not expected here");
                },
                id -> {
                    throw new AssertionError("OAuth client deletion is not expected here");
                },
                new SessionUseCases(
                        query -> listOwn.get().apply(query),
                        (caller, id) -> endOwn.get().accept(caller, id),
                        id -> read.get().apply(id),
                        query -> listOfUser.get().apply(query),
                        id -> delete.get().accept(id),
                        command -> deleteOfUser.get().applyAsInt(command)),
                operations)
                .start();
    }

    /** Every fake fails the test when called, except authentication, which knows {@link #ACCESS_TOKEN}. */
    void reset() {
        authenticate.set(token -> {
            if (!ACCESS_TOKEN.equals(token)) {
                throw Rejection.forbidden(ErrorCode.BAD_JWT, "invalid JWT: unable to parse or verify signature, or token is expired");
            }
            return new Caller(Fixtures.user(), Fixtures.session(1));
        });
        listOwn.set(query -> unexpected());
        endOwn.set((caller, id) -> unexpected());
        read.set(id -> unexpected());
        listOfUser.set(query -> unexpected());
        delete.set(id -> unexpected());
        deleteOfUser.set(command -> unexpected());
        refresh.set(command -> unexpected());
        upsertUser.set(command -> unexpected());
        deleteUser.set(id -> unexpected());
        startSession.set(command -> unexpected());
        logout.set((caller, scope) -> unexpected());
    }

    private static <T> T unexpected() {
        throw new AssertionError("this use case must not be called here");
    }

    HttpServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> asAdmin(String method, String path) throws Exception {
        return send(method, path, null, "Authorization", "Bearer " + ADMIN_KEY);
    }

    HttpResponse<String> asUser(String method, String path) throws Exception {
        return send(method, path, null, "Authorization", "Bearer " + ACCESS_TOKEN);
    }

    @Override
    public void close() {
        server.stop();
    }
}
