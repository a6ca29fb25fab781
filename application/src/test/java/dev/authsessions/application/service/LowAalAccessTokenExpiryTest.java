package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.fakes.RecordingSessionEvents;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.SessionPolicy;
import dev.authsessions.domain.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code AUTH_SESSIONS_ALLOW_LOW_AAL}, an access token of an aal1 session whose user has a verified factor
 * expires at the end of the grace period when that comes before the usual lifetime, as GoTrue's
 * {@code GenerateAccessToken} does: on start, refresh (rotated or reused), never after a step-up to aal2. The
 * token's {@code exp}, {@code expires_at} and {@code expires_in} agree. The clock starts at .123456 of a second.
 */
class LowAalAccessTokenExpiryTest {
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration GRACE = Duration.ofMinutes(10);

    private InMemoryPorts ports;
    private User alice;
    private FactorId factor;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        alice = ports.newUser("alice@example.com");
        factor = new FactorId(UUID.randomUUID());
        ports.factors().register(factor, alice.id(), FactorType.TOTP, ports.clock().peek());
    }

    private static SessionSettings settings(Optional<Duration> grace) {
        return new SessionSettings(LIFETIME, RefreshTokenRules.DEFAULTS,
                new SessionPolicy(Optional.empty(), Optional.empty(), grace), false, List.of());
    }

    private TokenGrant start(User user, Optional<Duration> grace) {
        return start(user, grace, null, AuthenticationMethod.PASSWORD, null);
    }

    private TokenGrant start(User user, Optional<Duration> grace, Aal aal, AuthenticationMethod method, FactorId factorId) {
        return new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(), ports.random(),
                ports.clock(), settings(grace)).start(new StartSessionUseCase.Command(user.id(), method, aal, factorId,
                null, "ua", "192.0.2.1", null, null, null));
    }

    private TokenGrant refresh(String refreshToken, Optional<Duration> grace) {
        return new RefreshSessionService(ports.sessions(), new ClientAuthentication(ports.clients()), ports.signer(),
                ports.clock(), settings(grace), new RecordingSessionEvents(), ports.random())
                .refresh(new RefreshSessionUseCase.Command(refreshToken, "ua", "192.0.2.1", null, null));
    }

    private TokenGrant stepUp(TokenGrant grant, Optional<Duration> grace) {
        return new StepUpSessionService(ports.sessions(), ports.factors(), ports.signer(), ports.random(), ports.clock(),
                settings(grace), DatabaseMode.STANDALONE).stepUp(new StepUpSessionUseCase.Command(grant.session().id(), factor, AuthenticationMethod.TOTP));
    }

    /** The signed claims agree with the grant; returns the token's exp. */
    private Instant consistentExpiry(TokenGrant grant) {
        AccessTokenSigner.Claims claims = ports.signer().claimsOf(grant.accessToken()).orElseThrow();
        assertEquals(claims.expiresAt(), grant.expiresAt(), "the JWT's exp is the response's expires_at");
        assertEquals(0, claims.expiresAt().getNano(), "whole seconds");
        assertEquals(claims.expiresAt().getEpochSecond() - ports.clock().peek().getEpochSecond(), grant.expiresInSeconds(),
                "expires_in counts from now to exp");
        return claims.expiresAt();
    }

    private static Instant wholeSecondsDown(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond());
    }

    @Test
    void anAal1SessionOfAUserWithAFactorGetsTokensThatEndWithTheGracePeriod() {
        TokenGrant started = start(alice, Optional.of(GRACE));
        Instant end = started.session().createdAt().plus(GRACE);

        assertEquals(wholeSecondsDown(end), consistentExpiry(started));
        assertEquals(600, started.expiresInSeconds());

        ports.clock().advance(Duration.ofMinutes(7));
        TokenGrant refreshed = refresh(started.refreshToken(), Optional.of(GRACE));
        assertEquals(wholeSecondsDown(end), consistentExpiry(refreshed));
        assertEquals(180, refreshed.expiresInSeconds());

        // Within the reuse interval the same token pair is handed out again, with the same cap.
        ports.clock().advance(Duration.ofSeconds(2));
        TokenGrant reused = refresh(started.refreshToken(), Optional.of(GRACE));
        assertTrue(reused.reused());
        assertEquals(wholeSecondsDown(end), consistentExpiry(reused));
        assertEquals(178, reused.expiresInSeconds());

        // The last refresh the grace period allows gets a token that ends within the same second.
        ports.clock().setInstant(end);
        TokenGrant last = refresh(refreshed.refreshToken(), Optional.of(GRACE));
        assertEquals(wholeSecondsDown(end), consistentExpiry(last));
        assertEquals(0, last.expiresInSeconds());
        assertFalse(consistentExpiry(last).isAfter(end), "no token outlives the grace period");
    }

    @Test
    void aFactorVerifiedAfterTheStartCapsTheNextRefresh() {
        User bob = ports.newUser("bob@example.com");
        TokenGrant started = start(bob, Optional.of(GRACE));
        assertEquals(3600, started.expiresInSeconds(), "no factor yet: the usual lifetime");

        ports.users().setVerifiedFactor(bob.id(), true);
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant refreshed = refresh(started.refreshToken(), Optional.of(GRACE));
        assertEquals(wholeSecondsDown(started.session().createdAt().plus(GRACE)), consistentExpiry(refreshed));
        assertEquals(540, refreshed.expiresInSeconds());
    }

    @Test
    void theSteppedUpSessionGetsTheUsualLifetimeAgain() {
        TokenGrant started = start(alice, Optional.of(GRACE));
        ports.clock().advance(Duration.ofMinutes(4));

        TokenGrant up = stepUp(started, Optional.of(GRACE));
        assertEquals(Aal.AAL2, up.session().aal());
        assertEquals(wholeSecondsDown(ports.clock().peek()).plus(LIFETIME), consistentExpiry(up));
        assertEquals(3600, up.expiresInSeconds());
        ports.clock().advance(Duration.ofMinutes(20));
        assertEquals(3600, refresh(up.refreshToken(), Optional.of(GRACE)).expiresInSeconds());
    }

    @Test
    void theUsualLifetimeWhenTheGracePeriodEndsLaterOrDoesNotApply() {
        TokenGrant longGrace = start(alice, Optional.of(Duration.ofHours(2)));
        assertEquals(wholeSecondsDown(ports.clock().peek()).plus(LIFETIME), consistentExpiry(longGrace));

        TokenGrant ruleOff = start(alice, Optional.empty());
        assertEquals(3600, ruleOff.expiresInSeconds());
        consistentExpiry(ruleOff);

        TokenGrant aal2 = start(alice, Optional.of(GRACE), Aal.AAL2, AuthenticationMethod.TOTP, factor);
        assertEquals(3600, aal2.expiresInSeconds());
        consistentExpiry(aal2);

        User carol = ports.newUser("carol@example.com");
        TokenGrant noFactor = start(carol, Optional.of(GRACE));
        assertEquals(3600, noFactor.expiresInSeconds());
        consistentExpiry(noFactor);
    }
}
