package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.fakes.RecordingSessionEvents;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemoveFactorServiceTest {
    private InMemoryPorts ports;
    private User alice;
    private User bob;
    private RemoveFactorService service;
    private StepUpSessionService stepUp;
    private Instant startedAt;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        alice = ports.newUser("alice@example.com");
        bob = ports.newUser("bob@example.com");
        service = new RemoveFactorService(ports.users(), ports.factors(), ports.clock(), DatabaseMode.STANDALONE);
        stepUp = new StepUpSessionService(ports.sessions(), ports.factors(), ports.signer(), ports.random(),
                ports.clock(), SessionSettings.defaults(), DatabaseMode.STANDALONE);
        startedAt = ports.clock().peek();
    }

    private TokenGrant start(User user) {
        return new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), SessionSettings.defaults())
                .start(new StartSessionUseCase.Command(user.id(), AuthenticationMethod.PASSWORD, null, null, null,
                        "ua", "192.0.2.1", null, null, null));
    }

    private TokenGrant steppedUp(User user, FactorId factor, AuthenticationMethod method) {
        return stepUp.stepUp(new StepUpSessionUseCase.Command(start(user).session().id(), factor, method));
    }

    private Session stored(TokenGrant grant) {
        return ports.sessions().findById(grant.session().id()).orElseThrow();
    }

    private static Rejection assertRejected(Runnable call, Rejection.Kind kind, ErrorCode code) {
        Rejection rejection = assertThrows(Rejection.class, call::run);
        assertEquals(kind, rejection.kind());
        assertEquals(code, rejection.code());
        return rejection;
    }

    @Test
    void exactlyTheSessionsOnTheFactorGoBackToAal1AndLoseItsClaims() {
        FactorId totp = new FactorId(UUID.randomUUID());
        FactorId phone = new FactorId(UUID.randomUUID());
        Instant stepUpAt = ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant onTotp = steppedUp(alice, totp, AuthenticationMethod.TOTP);
        TokenGrant alsoOnTotp = steppedUp(alice, totp, AuthenticationMethod.TOTP);
        TokenGrant onPhone = steppedUp(alice, phone, AuthenticationMethod.MFA_PHONE);
        TokenGrant bobs = steppedUp(bob, new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP);
        Session onPhoneBefore = stored(onPhone);
        Session bobsBefore = stored(bobs);
        Instant removedAt = ports.clock().advance(Duration.ofMinutes(1));

        service.remove(alice.id(), totp);

        for (TokenGrant grant : List.of(onTotp, alsoOnTotp)) {
            Session after = stored(grant);
            assertEquals(Aal.AAL1, after.aal());
            assertNull(after.factorId());
            assertEquals(removedAt, after.updatedAt());
            assertEquals(grant.session().refreshTokenCounter(), after.refreshTokenCounter());
            assertEquals(List.of(new AmrClaim(AuthenticationMethod.PASSWORD, startedAt.plus(Duration.ofMinutes(1)))),
                    ports.sessions().claimsOf(grant.session().id()));
        }
        assertEquals(onPhoneBefore, stored(onPhone));
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.MFA_PHONE, stepUpAt),
                        new AmrClaim(AuthenticationMethod.PASSWORD, stepUpAt)),
                ports.sessions().claimsOf(onPhone.session().id()));
        assertEquals(bobsBefore, stored(bobs));
        assertEquals(Optional.empty(), ports.factors().findById(totp));
        assertTrue(ports.users().findById(alice.id()).orElseThrow().hasVerifiedFactor(), "the phone factor is left");
    }

    @Test
    void aDowngradedSessionRefreshesToAnAal1TokenWithoutTheRemovedMethod() {
        FactorId totp = new FactorId(UUID.randomUUID());
        TokenGrant up = steppedUp(alice, totp, AuthenticationMethod.TOTP);
        ports.clock().advance(Duration.ofMinutes(1));

        service.remove(alice.id(), totp);

        TokenGrant refreshed = new RefreshSessionService(ports.sessions(), new ClientAuthentication(ports.clients()),
                ports.signer(), ports.clock(), SessionSettings.defaults(), new RecordingSessionEvents(), ports.random())
                .refresh(new RefreshSessionUseCase.Command(up.refreshToken(), "ua", "192.0.2.1", null, null));
        AccessTokenSigner.Claims claims = ports.signer().claimsOf(refreshed.accessToken()).orElseThrow();
        assertEquals(Aal.AAL1, claims.aal());
        assertEquals(List.of(AuthenticationMethod.PASSWORD), claims.amr().stream().map(AmrClaim::method).toList());
        assertFalse(ports.users().findById(alice.id()).orElseThrow().hasVerifiedFactor());
    }

    @Test
    void anUnknownUserIsNotFound() {
        assertRejected(() -> service.remove(new UserId(UUID.randomUUID()), new FactorId(UUID.randomUUID())),
                Rejection.Kind.NOT_FOUND, ErrorCode.USER_NOT_FOUND);
    }

    @Test
    void anUnknownFactorOfAKnownUserIsNotFound() {
        Rejection rejection = assertRejected(() -> service.remove(alice.id(), new FactorId(UUID.randomUUID())),
                Rejection.Kind.NOT_FOUND, ErrorCode.FACTOR_NOT_FOUND);
        assertEquals("mfa_factor_not_found", rejection.code().value());
    }

    @Test
    void anotherUsersFactorIsNotFoundAndNothingChanges() {
        FactorId bobsFactor = new FactorId(UUID.randomUUID());
        TokenGrant bobs = steppedUp(bob, bobsFactor, AuthenticationMethod.TOTP);
        Session before = stored(bobs);

        assertRejected(() -> service.remove(alice.id(), bobsFactor), Rejection.Kind.NOT_FOUND,
                ErrorCode.FACTOR_NOT_FOUND);

        assertTrue(ports.factors().findById(bobsFactor).isPresent());
        assertEquals(before, stored(bobs));
        assertEquals(2, ports.sessions().claimsOf(bobs.session().id()).size());
    }
}
