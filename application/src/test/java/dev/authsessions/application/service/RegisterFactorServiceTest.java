package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.fakes.RecordingSessionEvents;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.RegisterFactorUseCase.Command;
import dev.authsessions.application.port.in.RegisterFactorUseCase.Result;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.SessionPolicy;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegisterFactorServiceTest {
    private InMemoryPorts ports;
    private User alice;
    private RegisterFactorService service;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        alice = ports.newUser("alice@example.com");
        service = new RegisterFactorService(ports.users(), ports.factors(), ports.clock(), DatabaseMode.STANDALONE);
    }

    private static Rejection assertRejected(Runnable call, Rejection.Kind kind, ErrorCode code) {
        Rejection rejection = assertThrows(Rejection.class, call::run);
        assertEquals(kind, rejection.kind());
        assertEquals(code, rejection.code());
        return rejection;
    }

    @Test
    void aNewFactorIsStoredVerifiedAndMakesAal2TheUsersHighestLevel() {
        FactorId id = new FactorId(UUID.randomUUID());
        Instant now = ports.clock().peek();

        Result result = service.register(new Command(alice.id(), id, FactorType.TOTP));

        MfaFactor expected = MfaFactor.verified(id, alice.id(), FactorType.TOTP, now);
        assertTrue(result.created());
        assertEquals(expected, result.factor());
        assertEquals(Optional.of(expected), ports.factors().findById(id));
        assertTrue(ports.users().findById(alice.id()).orElseThrow().hasVerifiedFactor());
    }

    @Test
    void registeringTheSameFactorAgainIsAnUpdateThatKeepsItsCreationTime() {
        FactorId id = new FactorId(UUID.randomUUID());
        Instant first = ports.clock().peek();
        service.register(new Command(alice.id(), id, FactorType.PHONE));
        Instant second = ports.clock().advance(Duration.ofMinutes(5));

        Result again = service.register(new Command(alice.id(), id, FactorType.PHONE));

        assertFalse(again.created());
        assertEquals(new MfaFactor(id, alice.id(), FactorType.PHONE, MfaFactor.Status.VERIFIED, first, second),
                again.factor());
        assertEquals(1, ports.users().factorsOf(alice.id()).size());
    }

    @Test
    void anUnknownOrSoftDeletedUserIsNotFound() {
        FactorId id = new FactorId(UUID.randomUUID());
        assertRejected(() -> service.register(new Command(new UserId(UUID.randomUUID()), id, FactorType.TOTP)),
                Rejection.Kind.NOT_FOUND, ErrorCode.USER_NOT_FOUND);
        ports.users().softDelete(alice.id(), ports.clock().peek());
        assertRejected(() -> service.register(new Command(alice.id(), id, FactorType.TOTP)),
                Rejection.Kind.NOT_FOUND, ErrorCode.USER_NOT_FOUND);

        assertEquals(Optional.empty(), ports.factors().findById(id));
    }

    @Test
    void anIdOfAnotherUsersFactorOrOfAnotherTypeIsRefusedAndNothingChanges() {
        User bob = ports.newUser("bob@example.com");
        FactorId id = new FactorId(UUID.randomUUID());
        MfaFactor stored = service.register(new Command(alice.id(), id, FactorType.TOTP)).factor();
        ports.clock().advance(Duration.ofMinutes(1));

        assertRejected(() -> service.register(new Command(bob.id(), id, FactorType.TOTP)),
                Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED);
        assertRejected(() -> service.register(new Command(alice.id(), id, FactorType.WEBAUTHN)),
                Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED);

        assertEquals(Optional.of(stored), ports.factors().findById(id));
        assertFalse(ports.users().findById(bob.id()).orElseThrow().hasVerifiedFactor());
    }

    @Test
    void anEnrolledUsersAal1SessionsExpireAfterTheLowAalGracePeriod() {
        SessionSettings d = SessionSettings.defaults();
        RefreshSessionService refresh = new RefreshSessionService(ports.sessions(),
                new ClientAuthentication(ports.clients()), ports.signer(), ports.clock(),
                new SessionSettings(d.accessTokenLifetime(), d.refreshTokenRules(),
                        new SessionPolicy(Optional.empty(), Optional.empty(), Optional.of(Duration.ofMinutes(10))),
                        false, List.of()), new RecordingSessionEvents(), ports.random());
        TokenGrant grant = new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), d).start(new StartSessionUseCase.Command(alice.id(),
                AuthenticationMethod.PASSWORD, null, null, null, "ua", "192.0.2.1", null, null, null));
        ports.clock().advance(Duration.ofMinutes(11));
        TokenGrant beforeEnrolment = refresh.refresh(
                new RefreshSessionUseCase.Command(grant.refreshToken(), "ua", "192.0.2.1", null, null));

        service.register(new Command(alice.id(), new FactorId(UUID.randomUUID()), FactorType.TOTP));

        Rejection rejection = assertThrows(Rejection.class, () -> refresh.refresh(
                new RefreshSessionUseCase.Command(beforeEnrolment.refreshToken(), "ua", "192.0.2.1", null, null)));
        assertEquals(ErrorCode.SESSION_EXPIRED, rejection.code());
        assertEquals("Invalid Refresh Token: Session Expired (Low AAL: User Needs MFA Verification)",
                rejection.getMessage());
    }
}
