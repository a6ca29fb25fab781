package dev.authsessions.adapters.http;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.authsessions.application.port.in.AuthenticateUseCase;
import dev.authsessions.application.port.in.DeleteOAuthClientUseCase;
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
import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.RemoveFactorUseCase;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.AccessTokenVerifier;

/**
 * Wires the HTTP adapter: one {@link NimbusAccessTokens} behind both token ports, and the
 * {@link HttpServer}. The use cases are bound by the application's module.
 */
public final class HttpModule extends AbstractModule {
    private final HttpSettings httpSettings;
    private final JwtSettings jwtSettings;

    public HttpModule(HttpSettings httpSettings, JwtSettings jwtSettings) {
        this.httpSettings = httpSettings;
        this.jwtSettings = jwtSettings;
    }

    @Override
    protected void configure() {
        bind(HttpSettings.class).toInstance(httpSettings);
        bind(JwtSettings.class).toInstance(jwtSettings);
        bind(AccessTokenSigner.class).to(NimbusAccessTokens.class);
        bind(AccessTokenVerifier.class).to(NimbusAccessTokens.class);
    }

    @Provides
    @Singleton
    NimbusAccessTokens accessTokens(JwtSettings settings) {
        return new NimbusAccessTokens(settings);
    }

    @Provides
    @Singleton
    HttpServer httpServer(
            HttpSettings settings,
            UpsertUserUseCase upsertUser,
            DeleteUserUseCase deleteUser,
            StartSessionUseCase startSession,
            RefreshSessionUseCase refreshSession,
            LogoutUseCase logout,
            AuthenticateUseCase authenticate,
            ReadPublicKeysUseCase readPublicKeys,
            StepUpSessionUseCase stepUpSession,
            RegisterFactorUseCase registerFactor,
            RemoveFactorUseCase removeFactor,
            UpsertOAuthClientUseCase upsertOAuthClient,
            DeleteOAuthClientUseCase deleteOAuthClient,
            SessionUseCases sessionUseCases) {
        return new HttpServer(settings, upsertUser, deleteUser, startSession, refreshSession, logout, authenticate, readPublicKeys,
                stepUpSession, registerFactor, removeFactor, upsertOAuthClient, deleteOAuthClient, sessionUseCases);
    }

    @Provides
    @Singleton
    SessionUseCases sessionUseCases(
            ListOwnSessionsUseCase listOwn,
            EndOwnSessionUseCase endOwn,
            ReadSessionUseCase read,
            ListUserSessionsUseCase listOfUser,
            DeleteSessionUseCase delete,
            DeleteUserSessionsUseCase deleteOfUser) {
        return new SessionUseCases(listOwn, endOwn, read, listOfUser, delete, deleteOfUser);
    }
}
