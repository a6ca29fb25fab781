package dev.authsessions.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.authsessions.application.port.in.AuthenticateUseCase;
import dev.authsessions.application.port.in.DeleteOAuthClientUseCase;
import dev.authsessions.application.port.in.DeleteUserUseCase;
import dev.authsessions.application.port.in.LogoutUseCase;
import dev.authsessions.application.port.in.ReadPublicKeysUseCase;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.RemoveFactorUseCase;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.AccessTokenVerifier;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.MfaFactorRepository;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.application.port.out.SecureRandomSource;
import dev.authsessions.application.port.out.SessionEvents;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.application.service.AuthenticateService;
import dev.authsessions.application.service.ClientAuthentication;
import dev.authsessions.application.service.DeleteOAuthClientService;
import dev.authsessions.application.service.DeleteUserService;
import dev.authsessions.application.service.LogoutService;
import dev.authsessions.application.service.ReadPublicKeysService;
import dev.authsessions.application.service.RefreshSessionService;
import dev.authsessions.application.service.RegisterFactorService;
import dev.authsessions.application.service.RemoveFactorService;
import dev.authsessions.application.service.SessionSettings;
import dev.authsessions.application.service.StartSessionService;
import dev.authsessions.application.service.StepUpSessionService;
import dev.authsessions.application.service.UpsertOAuthClientService;
import dev.authsessions.application.service.UpsertUserService;
import dev.authsessions.application.port.in.CleanUpSessionsUseCase;
import dev.authsessions.application.port.in.DeleteSessionUseCase;
import dev.authsessions.application.port.in.DeleteUserSessionsUseCase;
import dev.authsessions.application.port.in.EndOwnSessionUseCase;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.ReadSessionUseCase;
import dev.authsessions.application.port.out.SessionCleanup;
import dev.authsessions.application.port.out.SessionDeletions;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.application.service.CleanUpSessionsService;
import dev.authsessions.application.service.CleanupSettings;
import dev.authsessions.application.service.DeleteSessionService;
import dev.authsessions.application.service.DeleteUserSessionsService;
import dev.authsessions.application.service.EndOwnSessionService;
import dev.authsessions.application.service.ListOwnSessionsService;
import dev.authsessions.application.service.ListUserSessionsService;
import dev.authsessions.application.service.ReadSessionService;
import java.security.SecureRandom;
import java.time.Clock;

/** Wires the application services: one provider per use case, each from its ports, the clock and the settings. */
public final class ApplicationModule extends AbstractModule {
    private final SessionSettings settings;
    private final CleanupSettings cleanupSettings;
    private final Clock clock;

    public ApplicationModule(SessionSettings settings, CleanupSettings cleanupSettings, Clock clock) {
        this.settings = settings;
        this.cleanupSettings = cleanupSettings;
        this.clock = clock;
    }

    @Provides
    @Singleton
    Clock clock() {
        return clock;
    }

    @Provides
    @Singleton
    SessionSettings settings() {
        return settings;
    }

    @Provides
    @Singleton
    SecureRandomSource randomSource() {
        SecureRandom random = new SecureRandom();
        return count -> {
            byte[] bytes = new byte[count];
            random.nextBytes(bytes);
            return bytes;
        };
    }

    @Provides
    @Singleton
    UpsertUserUseCase upsertUser(UserRepository users, DatabaseMode mode) {
        return new UpsertUserService(users, clock, mode);
    }

    @Provides
    @Singleton
    DeleteUserUseCase deleteUser(UserRepository users, DatabaseMode mode) {
        return new DeleteUserService(users, mode);
    }

    @Provides
    @Singleton
    StartSessionUseCase startSession(UserRepository users, SessionRepository sessions, OAuthClientRepository clients,
                                     AccessTokenSigner signer, SecureRandomSource random) {
        return new StartSessionService(users, sessions, clients, signer, random, clock, settings);
    }

    @Provides
    @Singleton
    RefreshSessionUseCase refreshSession(SessionRepository sessions, OAuthClientRepository clients, AccessTokenSigner signer,
                                         SessionEvents events, SecureRandomSource random) {
        return new RefreshSessionService(sessions, new ClientAuthentication(clients), signer, clock, settings, events, random);
    }

    @Provides
    @Singleton
    AuthenticateUseCase authenticate(AccessTokenVerifier verifier, SessionRepository sessions, UserRepository users) {
        return new AuthenticateService(verifier, sessions, users, clock);
    }

    @Provides
    @Singleton
    LogoutUseCase logout(SessionRepository sessions) {
        return new LogoutService(sessions);
    }

    @Provides
    @Singleton
    ReadPublicKeysUseCase readPublicKeys(AccessTokenSigner signer) {
        return new ReadPublicKeysService(signer);
    }

    @Provides
    @Singleton
    StepUpSessionUseCase stepUpSession(SessionRepository sessions, MfaFactorRepository factors, AccessTokenSigner signer,
                                       SecureRandomSource random, DatabaseMode mode) {
        return new StepUpSessionService(sessions, factors, signer, random, clock, settings, mode);
    }

    @Provides
    @Singleton
    RegisterFactorUseCase registerFactor(UserRepository users, MfaFactorRepository factors, DatabaseMode mode) {
        return new RegisterFactorService(users, factors, clock, mode);
    }

    @Provides
    @Singleton
    RemoveFactorUseCase removeFactor(UserRepository users, MfaFactorRepository factors, DatabaseMode mode) {
        return new RemoveFactorService(users, factors, clock, mode);
    }

    @Provides
    @Singleton
    UpsertOAuthClientUseCase upsertOAuthClient(OAuthClientRepository clients, DatabaseMode mode) {
        return new UpsertOAuthClientService(clients, clock, mode);
    }

    @Provides
    @Singleton
    DeleteOAuthClientUseCase deleteOAuthClient(OAuthClientRepository clients, DatabaseMode mode) {
        return new DeleteOAuthClientService(clients, mode);
    }

    @Provides
    @Singleton
    ListOwnSessionsUseCase listOwnSessions(SessionQueries queries) {
        return new ListOwnSessionsService(queries);
    }

    @Provides
    @Singleton
    EndOwnSessionUseCase endOwnSession(SessionDeletions deletions) {
        return new EndOwnSessionService(deletions);
    }

    @Provides
    @Singleton
    ReadSessionUseCase readSession(SessionQueries queries) {
        return new ReadSessionService(queries);
    }

    @Provides
    @Singleton
    ListUserSessionsUseCase listUserSessions(UserRepository users, SessionQueries queries) {
        return new ListUserSessionsService(users, queries);
    }

    @Provides
    @Singleton
    DeleteSessionUseCase deleteSession(SessionRepository sessions) {
        return new DeleteSessionService(sessions);
    }

    @Provides
    @Singleton
    DeleteUserSessionsUseCase deleteUserSessions(UserRepository users, OAuthClientRepository clients,
                                                 SessionRepository sessions, SessionDeletions deletions) {
        return new DeleteUserSessionsService(users, clients, sessions, deletions);
    }

    @Provides
    @Singleton
    CleanUpSessionsUseCase cleanUpSessions(SessionCleanup cleanup, SessionEvents events) {
        return new CleanUpSessionsService(cleanup, settings, cleanupSettings, clock, events);
    }
}
