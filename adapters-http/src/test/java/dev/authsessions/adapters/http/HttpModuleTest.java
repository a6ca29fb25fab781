package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.authsessions.application.port.in.AuthenticateUseCase;
import dev.authsessions.application.port.in.DeleteOAuthClientUseCase;
import dev.authsessions.application.port.in.DeleteSessionUseCase;
import dev.authsessions.application.port.in.DeleteUserSessionsUseCase;
import dev.authsessions.application.port.in.DeleteUserUseCase;
import dev.authsessions.application.port.in.EndOwnSessionUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.LogoutUseCase;
import dev.authsessions.application.port.in.ReadPublicKeysUseCase;
import dev.authsessions.application.port.in.ReadSessionUseCase;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.RemoveFactorUseCase;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.AccessTokenVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpModuleTest {

    @Test
    void bindsOneTokenServiceBehindBothPortsAndProvidesTheServer() throws Exception {
        HttpSettings http = new HttpSettings("127.0.0.1", 0, List.of("admin"), List.of(), 1024);
        JwtSettings jwt = new JwtSettings(Optional.empty(), Optional.empty(), "http://localhost");
        Injector injector = Guice.createInjector(new HttpModule(http, jwt), new AbstractModule() {
            @Override
            protected void configure() {
                // Stand-ins for the application's module; only the keys use case is exercised.
                bind(UpsertUserUseCase.class).toInstance(c -> {
                    throw new UnsupportedOperationException();
                });
                bind(DeleteUserUseCase.class).toInstance(id -> {
                    throw new UnsupportedOperationException();
                });
                bind(StartSessionUseCase.class).toInstance(c -> {
                    throw new UnsupportedOperationException();
                });
                bind(RefreshSessionUseCase.class).toInstance(c -> {
                    throw new UnsupportedOperationException();
                });
                bind(LogoutUseCase.class).toInstance((c, s) -> {
                    throw new UnsupportedOperationException();
                });
                bind(AuthenticateUseCase.class).toInstance(t -> {
                    throw new UnsupportedOperationException();
                });
                bind(StepUpSessionUseCase.class).toInstance(c -> {
                    throw Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found");
                });
                bind(RegisterFactorUseCase.class).toInstance(c -> {
                    throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
                });
                bind(RemoveFactorUseCase.class).toInstance((u, f) -> {
                    throw Rejection.notFound(ErrorCode.FACTOR_NOT_FOUND, "Factor not found");
                });
                bind(UpsertOAuthClientUseCase.class).toInstance(c -> {
                    throw new Rejection(Rejection.Kind.CONFLICT, ErrorCode.CONFLICT, "Conflict");
                });
                bind(DeleteOAuthClientUseCase.class).toInstance(id -> {
                    throw Rejection.notFound(ErrorCode.OAUTH_CLIENT_NOT_FOUND, "OAuth client not found");
                });
                SessionUseCases unused = SessionRoutesTest.unusedSessionUseCases();
                bind(ListOwnSessionsUseCase.class).toInstance(unused.listOwn());
                bind(EndOwnSessionUseCase.class).toInstance(unused.endOwn());
                bind(ReadSessionUseCase.class).toInstance(unused.read());
                bind(ListUserSessionsUseCase.class).toInstance(unused.listOfUser());
                bind(DeleteSessionUseCase.class).toInstance(unused.delete());
                bind(DeleteUserSessionsUseCase.class).toInstance(unused.deleteOfUser());
                bind(ReadinessProbe.class).toInstance(() -> true);
                com.google.inject.Provider<AccessTokenSigner> signer = getProvider(AccessTokenSigner.class);
                bind(ReadPublicKeysUseCase.class).toProvider(() -> () -> signer.get().publicJwks());
            }
        });

        AccessTokenSigner signer = injector.getInstance(AccessTokenSigner.class);
        AccessTokenVerifier verifier = injector.getInstance(AccessTokenVerifier.class);
        assertSame(signer, verifier);
        assertSame(signer, injector.getInstance(NimbusAccessTokens.class));
        HttpServer server = injector.getInstance(HttpServer.class);
        assertSame(server, injector.getInstance(HttpServer.class));
        assertTrue(injector.getInstance(dev.authsessions.application.port.out.SessionEvents.class) instanceof MicrometerSessionEvents);

        server.start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/.well-known/jwks.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains(((NimbusAccessTokens) signer).signingKeyId()), response.body());
            // Each new admin route reaches the use case bound for it, which answers with its own code.
            String id = "11111111-2222-4333-8444-555555555555";
            Map<String, String> routes = new LinkedHashMap<>();
            routes.put("POST /admin/sessions/" + id + "/mfa {\"factor_id\":\"" + id + "\",\"method\":\"totp\"}", "session_not_found");
            routes.put("PUT /admin/users/" + id + "/factors/" + id + " {\"factor_type\":\"totp\"}", "user_not_found");
            routes.put("DELETE /admin/users/" + id + "/factors/" + id + " ", "mfa_factor_not_found");
            routes.put("PUT /admin/oauth-clients/" + id + " {}", "conflict");
            routes.put("DELETE /admin/oauth-clients/" + id + " ", "oauth_client_not_found");
            for (Map.Entry<String, String> route : routes.entrySet()) {
                String[] parts = route.getKey().split(" ", 3);
                HttpRequest.BodyPublisher body = parts[2].isEmpty()
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(parts[2]);
                HttpResponse<String> answer = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + parts[1]))
                                .method(parts[0], body)
                                .header("Authorization", "Bearer admin")
                                .header("Content-Type", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(route.getValue(), answer.headers().firstValue("x-sb-error-code").orElse(null), route.getKey());
            }
        } finally {
            server.stop();
        }
    }
}
