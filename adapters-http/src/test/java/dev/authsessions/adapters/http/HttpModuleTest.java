package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.authsessions.application.port.in.AuthenticateUseCase;
import dev.authsessions.application.port.in.DeleteSessionUseCase;
import dev.authsessions.application.port.in.DeleteUserSessionsUseCase;
import dev.authsessions.application.port.in.DeleteUserUseCase;
import dev.authsessions.application.port.in.EndOwnSessionUseCase;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.LogoutUseCase;
import dev.authsessions.application.port.in.ReadPublicKeysUseCase;
import dev.authsessions.application.port.in.ReadSessionUseCase;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.AccessTokenVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
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
                SessionUseCases unused = SessionRoutesTest.unusedSessionUseCases();
                bind(ListOwnSessionsUseCase.class).toInstance(unused.listOwn());
                bind(EndOwnSessionUseCase.class).toInstance(unused.endOwn());
                bind(ReadSessionUseCase.class).toInstance(unused.read());
                bind(ListUserSessionsUseCase.class).toInstance(unused.listOfUser());
                bind(DeleteSessionUseCase.class).toInstance(unused.delete());
                bind(DeleteUserSessionsUseCase.class).toInstance(unused.deleteOfUser());
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

        server.start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/.well-known/jwks.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains(((NimbusAccessTokens) signer).signingKeyId()), response.body());
        } finally {
            server.stop();
        }
    }
}
