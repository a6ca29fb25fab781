package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.ForwardingSessionRepository;
import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.fakes.RecordingSessionEvents;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase.Command;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.SessionPolicy;
import dev.authsessions.domain.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StepUpSessionServiceTest {
    private InMemoryPorts ports;
    private User alice;
    private StepUpSessionService service;
    private RefreshSessionService refresh;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        alice = ports.newUser("alice@example.com");
        service = service(ports.sessions(), SessionSettings.defaults());
        refresh = new RefreshSessionService(ports.sessions(), new ClientAuthentication(ports.clients()),
                ports.signer(), ports.clock(), SessionSettings.defaults(), new RecordingSessionEvents(), ports.random());
    }

    private StepUpSessionService service(SessionRepository sessions, SessionSettings settings) {
        return new StepUpSessionService(sessions, ports.factors(), ports.signer(), ports.random(), ports.clock(),
                settings, DatabaseMode.STANDALONE);
    }

    private static SessionSettings withPolicy(SessionPolicy policy) {
        SessionSettings d = SessionSettings.defaults();
        return new SessionSettings(d.accessTokenLifetime(), d.refreshTokenRules(), policy, false, List.of());
    }

    private TokenGrant start(User user) {
        return start(new StartSessionUseCase.Command(user.id(), AuthenticationMethod.PASSWORD, null, null, null,
                "Mozilla/5.0", "192.0.2.10", null, null, null));
    }

    private TokenGrant start(StartSessionUseCase.Command command) {
        return new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), SessionSettings.defaults()).start(command);
    }

    private TokenGrant startAal2(User user, FactorId factor) {
        return start(new StartSessionUseCase.Command(user.id(), AuthenticationMethod.TOTP, Aal.AAL2, factor, null,
                "ua", "192.0.2.1", null, null, null));
    }

    private TokenGrant refresh(String token) {
        return refresh.refresh(new RefreshSessionUseCase.Command(token, "ua", "192.0.2.1", null, null));
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
    void aStepUpRaisesTheSessionToAal2AndHandsOutTokensForTheNewEpoch() {
        Instant started = ports.clock().peek();
        TokenGrant grant = start(alice);
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant refreshed = refresh(grant.refreshToken());
        Instant steppedUpAt = ports.clock().advance(Duration.ofMinutes(1));
        FactorId factor = new FactorId(UUID.randomUUID());

        TokenGrant up = service.stepUp(new Command(grant.session().id(), factor, AuthenticationMethod.TOTP));

        Session stored = stored(grant);
        assertEquals(Aal.AAL2, stored.aal());
        assertEquals(factor, stored.factorId());
        assertEquals(refreshed.session().refreshTokenCounter() + 2, stored.refreshTokenCounter());
        assertNotEquals(grant.session().refreshTokenHmacKey(), stored.refreshTokenHmacKey());
        assertEquals(stored, up.session());
        assertEquals(stored.currentRefreshToken(), up.refreshToken());
        assertEquals(3, RefreshToken.parse(up.refreshToken()).counter());
        AccessTokenSigner.Claims claims = ports.signer().claimsOf(up.accessToken()).orElseThrow();
        assertEquals(Aal.AAL2, claims.aal());
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, steppedUpAt),
                new AmrClaim(AuthenticationMethod.PASSWORD, started)), claims.amr());
        assertEquals(grant.session().id(), claims.sessionId());
        assertEquals(Optional.of(MfaFactor.verified(factor, alice.id(), FactorType.TOTP, steppedUpAt)),
                ports.factors().findById(factor));
        assertTrue(up.user().hasVerifiedFactor());
        assertTrue(ports.users().findById(alice.id()).orElseThrow().hasVerifiedFactor());
        assertEquals(4, RefreshToken.parse(refresh(up.refreshToken()).refreshToken()).counter(),
                "the new token refreshes normally");
    }

    @Test
    void noRefreshTokenIssuedBeforeTheStepUpCanBeExchangedAfterItNotEvenInsideTheReuseInterval() {
        TokenGrant grant = start(alice);
        TokenGrant first = refresh(grant.refreshToken());
        TokenGrant current = refresh(first.refreshToken());

        TokenGrant up = service.stepUp(new Command(grant.session().id(), new FactorId(UUID.randomUUID()),
                AuthenticationMethod.MFA_PHONE));

        for (String old : List.of(current.refreshToken(), first.refreshToken(), grant.refreshToken())) {
            Rejection rejection = assertRejected(() -> refresh(old), Rejection.Kind.BAD_REQUEST,
                    ErrorCode.REFRESH_TOKEN_NOT_FOUND);
            assertEquals("Invalid Refresh Token: Refresh Token Not Found", rejection.getMessage());
        }
        assertEquals(up.session(), stored(grant), "the old tokens neither rotated nor ended the session");
    }

    @Test
    void noOldTokenGetsThroughEvenWithReuseAlwaysAllowed() {
        SessionSettings d = SessionSettings.defaults();
        RefreshSessionService lenient = new RefreshSessionService(ports.sessions(),
                new ClientAuthentication(ports.clients()), ports.signer(), ports.clock(),
                new SessionSettings(d.accessTokenLifetime(), new RefreshTokenRules(true, Duration.ofDays(1), true),
                        d.sessionPolicy(), false, List.of()), new RecordingSessionEvents(), ports.random());
        TokenGrant grant = start(alice);

        service.stepUp(new Command(grant.session().id(), new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP));

        Rejection rejection = assertThrows(Rejection.class, () -> lenient.refresh(
                new RefreshSessionUseCase.Command(grant.refreshToken(), "ua", "192.0.2.1", null, null)));
        assertEquals(ErrorCode.REFRESH_TOKEN_NOT_FOUND, rejection.code());
    }

    @Test
    void theUsersOtherSessionsBelowAal2AreDeletedAndTheRestKept() {
        TokenGrant target = start(alice);
        TokenGrant otherAal1 = start(alice);
        TokenGrant otherAal2 = startAal2(alice, new FactorId(UUID.randomUUID()));
        User bob = ports.newUser("bob@example.com");
        TokenGrant bobs = start(bob);

        service.stepUp(new Command(target.session().id(), new FactorId(UUID.randomUUID()),
                AuthenticationMethod.MFA_WEBAUTHN));

        assertEquals(Optional.empty(), ports.sessions().findById(otherAal1.session().id()));
        assertEquals(otherAal2.session(), stored(otherAal2));
        assertEquals(bobs.session(), stored(bobs));
        assertEquals(2, ports.sessions().sessionsOf(alice.id()).size());
    }

    @Test
    void anExistingClaimOfTheMethodIsRefreshedNotDuplicated() {
        Instant started = ports.clock().peek();
        TokenGrant grant = startAal2(alice, new FactorId(UUID.randomUUID()));
        Instant later = ports.clock().advance(Duration.ofMinutes(3));

        TokenGrant up = service.stepUp(new Command(grant.session().id(), new FactorId(UUID.randomUUID()),
                AuthenticationMethod.TOTP));

        assertTrue(later.isAfter(started));
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, later)),
                ports.sessions().claimsOf(grant.session().id()));
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, later)),
                ports.signer().claimsOf(up.accessToken()).orElseThrow().amr());
    }

    @Test
    void aSecondStepUpStartsAnotherEpoch() {
        TokenGrant grant = start(alice);
        FactorId factor = new FactorId(UUID.randomUUID());
        TokenGrant first = service.stepUp(new Command(grant.session().id(), factor, AuthenticationMethod.TOTP));
        ports.clock().advance(Duration.ofSeconds(1));

        TokenGrant second = service.stepUp(new Command(grant.session().id(), factor, AuthenticationMethod.TOTP));

        assertEquals(4, RefreshToken.parse(second.refreshToken()).counter());
        assertEquals(ErrorCode.REFRESH_TOKEN_NOT_FOUND,
                assertThrows(Rejection.class, () -> refresh(first.refreshToken())).code());
        assertEquals(5, RefreshToken.parse(refresh(second.refreshToken()).refreshToken()).counter());
    }

    @Test
    void aFirstFactorMethodIsAValidationFailureWithoutAnyRepositoryCall() {
        TokenGrant grant = start(alice);
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        StepUpSessionService recorded = service(new ForwardingSessionRepository(ports.sessions()) {
            @Override
            protected void onCall(String method) {
                calls.add(method);
            }
        }, SessionSettings.defaults());

        for (AuthenticationMethod method : AuthenticationMethod.values()) {
            if (method.isSecondFactor()) {
                continue;
            }
            assertRejected(() -> recorded.stepUp(new Command(grant.session().id(), new FactorId(UUID.randomUUID()),
                    method)), Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED);
        }
        assertEquals(List.of(), calls);
        assertEquals(grant.session(), stored(grant));
    }

    @Test
    void anUnknownSessionIsNotFound() {
        Rejection rejection = assertRejected(() -> service.stepUp(new Command(new SessionId(UUID.randomUUID()),
                new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP)), Rejection.Kind.NOT_FOUND,
                ErrorCode.SESSION_NOT_FOUND);
        assertEquals("Session not found", rejection.getMessage());
    }

    @Test
    void aBannedUserCannotStepUpAndNothingChanges() {
        TokenGrant grant = start(alice);
        TokenGrant other = start(alice);
        ports.ban(alice.id(), ports.clock().peek().plus(Duration.ofHours(1)));
        FactorId factor = new FactorId(UUID.randomUUID());

        assertRejected(() -> service.stepUp(new Command(grant.session().id(), factor, AuthenticationMethod.TOTP)),
                Rejection.Kind.BAD_REQUEST, ErrorCode.USER_BANNED);

        assertEquals(grant.session(), stored(grant));
        assertEquals(other.session(), stored(other));
        assertEquals(Optional.empty(), ports.factors().findById(factor));
    }

    @Test
    void anExpiredSessionCannotStepUp() {
        StepUpSessionService inactivity = service(ports.sessions(), withPolicy(
                new SessionPolicy(Optional.empty(), Optional.of(Duration.ofMinutes(30)), Optional.empty())));
        TokenGrant grant = start(alice);
        Instant notAfter = ports.clock().peek().plus(Duration.ofMinutes(5));
        TokenGrant bounded = start(new StartSessionUseCase.Command(alice.id(), AuthenticationMethod.PASSWORD, null,
                null, notAfter, "ua", "192.0.2.1", null, null, null));
        ports.clock().advance(Duration.ofMinutes(31));

        Rejection inactive = assertRejected(() -> inactivity.stepUp(new Command(grant.session().id(),
                new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP)), Rejection.Kind.BAD_REQUEST,
                ErrorCode.SESSION_EXPIRED);
        assertEquals("Session Expired (Inactivity)", inactive.getMessage());
        Rejection pastNotAfter = assertRejected(() -> service.stepUp(new Command(bounded.session().id(),
                new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP)), Rejection.Kind.BAD_REQUEST,
                ErrorCode.SESSION_EXPIRED);
        assertEquals("Session Expired", pastNotAfter.getMessage());
        assertEquals(grant.session(), stored(grant));
        assertEquals(bounded.session(), stored(bounded));
    }

    @Test
    void aSessionOnlyBelowTheUsersHighestAalCanStepUpSinceThatIsTheCure() {
        SessionSettings lowAal = withPolicy(
                new SessionPolicy(Optional.empty(), Optional.empty(), Optional.of(Duration.ofMinutes(10))));
        TokenGrant grant = start(alice);
        ports.users().setVerifiedFactor(alice.id(), true);
        ports.clock().advance(Duration.ofMinutes(11));

        TokenGrant up = service(ports.sessions(), lowAal).stepUp(new Command(grant.session().id(),
                new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP));

        assertEquals(Aal.AAL2, up.session().aal());
    }

    @Test
    void aFactorOfAnotherUserIsRefusedAndNothingChanges() {
        User bob = ports.newUser("bob@example.com");
        FactorId bobsFactor = new FactorId(UUID.randomUUID());
        service.stepUp(new Command(start(bob).session().id(), bobsFactor, AuthenticationMethod.TOTP));
        TokenGrant grant = start(alice);
        TokenGrant other = start(alice);

        assertRejected(() -> service.stepUp(new Command(grant.session().id(), bobsFactor, AuthenticationMethod.TOTP)),
                Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED);

        assertEquals(grant.session(), stored(grant));
        assertEquals(other.session(), stored(other));
        assertEquals(bob.id(), ports.factors().findById(bobsFactor).orElseThrow().userId());
    }

    @Test
    void aFactorOfAnotherTypeIsRefusedAndNothingChanges() {
        FactorId phone = new FactorId(UUID.randomUUID());
        service.stepUp(new Command(start(alice).session().id(), phone, AuthenticationMethod.MFA_PHONE));
        TokenGrant grant = start(alice);

        Rejection rejection = assertRejected(() -> service.stepUp(new Command(grant.session().id(), phone,
                AuthenticationMethod.TOTP)), Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED);

        assertEquals("factor_id is a phone factor, not totp", rejection.getMessage());
        assertEquals(grant.session(), stored(grant));
    }

    @Test
    void aFactorRegisteredByAnOperatorIsUsedAsIs() {
        FactorId factor = new FactorId(UUID.randomUUID());
        Instant registeredAt = ports.clock().peek();
        new RegisterFactorService(ports.users(), ports.factors(), ports.clock(), DatabaseMode.STANDALONE)
                .register(new RegisterFactorUseCase.Command(
                        alice.id(), factor, FactorType.WEBAUTHN));
        TokenGrant grant = start(alice);
        Instant steppedUpAt = ports.clock().advance(Duration.ofMinutes(1));

        service.stepUp(new Command(grant.session().id(), factor, AuthenticationMethod.MFA_WEBAUTHN));

        assertEquals(Optional.of(new MfaFactor(factor, alice.id(), FactorType.WEBAUTHN, MfaFactor.Status.VERIFIED,
                registeredAt, steppedUpAt)), ports.factors().findById(factor));
        assertEquals(factor, stored(grant).factorId());
    }

    @Test
    void aSessionDeletedJustBeforeTheStepUpIsNotFound() {
        TokenGrant grant = start(alice);
        StepUpSessionService racing = service(new ForwardingSessionRepository(ports.sessions()) {
            @Override
            public Optional<SessionContext> stepUp(SessionId id, FactorId factorId, AuthenticationMethod method,
                    HmacKey newKey, Instant now) {
                ports.sessions().delete(id);
                return super.stepUp(id, factorId, method, newKey, now);
            }
        }, SessionSettings.defaults());
        FactorId factor = new FactorId(UUID.randomUUID());

        assertRejected(() -> racing.stepUp(new Command(grant.session().id(), factor, AuthenticationMethod.TOTP)),
                Rejection.Kind.NOT_FOUND, ErrorCode.SESSION_NOT_FOUND);
        assertEquals(Optional.empty(), ports.factors().findById(factor), "nothing was written");
    }
}
