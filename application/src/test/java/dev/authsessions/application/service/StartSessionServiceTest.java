package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase.Command;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StartSessionServiceTest {
    private InMemoryPorts ports;
    private StartSessionService service;
    private User alice;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        service = new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), SessionSettings.defaults());
        alice = ports.newUser("alice@example.com");
    }

    private static Command command(UserId user) {
        return new Command(user, AuthenticationMethod.PASSWORD, null, null, null, "Mozilla/5.0", "192.0.2.10",
                null, null, null);
    }

    private void assertRejected(Rejection.Kind kind, ErrorCode code, Command command) {
        Rejection rejection = assertThrows(Rejection.class, () -> service.start(command));
        assertEquals(kind, rejection.kind());
        assertEquals(code, rejection.code());
        assertEquals(0, ports.sessions().size(), "nothing is written on an error");
    }

    @Test
    void aNewSessionStartsAtCounterZeroAal1WithOneClaimAndIsStored() {
        Instant now = ports.clock().peek();

        TokenGrant grant = service.start(command(alice.id()));

        Session session = grant.session();
        assertEquals(0, session.refreshTokenCounter());
        assertEquals(Aal.AAL1, session.aal());
        assertEquals(alice.id(), session.userId());
        assertEquals(now, session.createdAt());
        assertEquals(now, session.updatedAt());
        assertEquals(null, session.refreshedAt());
        assertEquals("Mozilla/5.0", session.userAgent());
        assertEquals("192.0.2.10", session.ip());
        assertEquals(session, ports.sessions().findById(session.id()).orElseThrow());
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.PASSWORD, now)), ports.sessions().claimsOf(session.id()));
        assertEquals(alice, grant.user());
        assertEquals(false, grant.reused());
        assertEquals(List.of(), grant.reuseCauses());
    }

    @Test
    void theRefreshTokenParsesAndIsSignedByTheStoredKey() {
        TokenGrant grant = service.start(command(alice.id()));

        RefreshToken token = RefreshToken.parse(grant.refreshToken());
        Session stored = ports.sessions().findById(grant.session().id()).orElseThrow();
        assertEquals(stored.id(), token.sessionId());
        assertEquals(0, token.counter());
        assertTrue(token.isSignedBy(stored.refreshTokenHmacKey()));
    }

    @Test
    void theAccessTokenCarriesTheSessionAndExpiresAfterTheConfiguredLifetime() {
        Instant now = ports.clock().peek();

        TokenGrant grant = service.start(command(alice.id()));

        AccessTokenSigner.Claims claims = ports.signer().claimsOf(grant.accessToken()).orElseThrow();
        assertEquals(alice, claims.user());
        assertEquals(grant.session().id(), claims.sessionId());
        assertEquals(Aal.AAL1, claims.aal());
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.PASSWORD, now)), claims.amr());
        assertEquals(Instant.ofEpochSecond(now.getEpochSecond()), claims.issuedAt());
        assertEquals(claims.issuedAt().plus(Duration.ofHours(1)), claims.expiresAt());
        assertEquals(claims.expiresAt(), grant.expiresAt());
        assertEquals(3600, grant.expiresInSeconds());
        assertEquals(null, claims.clientId());
        assertEquals(null, claims.scope());
    }

    @Test
    void timestampsAreTruncatedToMicroseconds() {
        ports.clock().setInstant(Instant.parse("2026-05-05T05:05:05.123456789Z"));

        TokenGrant grant = service.start(command(alice.id()));

        assertEquals(Instant.parse("2026-05-05T05:05:05.123456Z"), grant.session().createdAt());
    }

    @Test
    void twoSessionsGetDifferentIdsAndKeys() {
        Session first = service.start(command(alice.id())).session();
        Session second = service.start(command(alice.id())).session();

        assertNotEquals(first.id(), second.id());
        assertNotEquals(first.refreshTokenHmacKey(), second.refreshTokenHmacKey());
    }

    @Test
    void anUnknownUserIsNotFound() {
        Rejection rejection = assertThrows(Rejection.class,
                () -> service.start(command(new UserId(UUID.randomUUID()))));
        assertEquals(Rejection.Kind.NOT_FOUND, rejection.kind());
        assertEquals(ErrorCode.USER_NOT_FOUND, rejection.code());
        assertEquals(0, ports.sessions().size());
    }

    @Test
    void aSoftDeletedUserIsNotFound() {
        ports.users().softDelete(alice.id(), ports.clock().peek());

        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.USER_NOT_FOUND, command(alice.id()));
    }

    @Test
    void aBannedUserGetsNoSession() {
        ports.ban(alice.id(), ports.clock().peek().plusSeconds(60));

        assertRejected(Rejection.Kind.BAD_REQUEST, ErrorCode.USER_BANNED, command(alice.id()));
    }

    @Test
    void aBanThatHasEndedDoesNotStopASession() {
        ports.ban(alice.id(), ports.clock().peek().minusSeconds(1));

        assertEquals(alice.id(), service.start(command(alice.id())).session().userId());
    }

    @Test
    void anUnknownOAuthClientIsNotFound() {
        Command command = new Command(alice.id(), AuthenticationMethod.OAUTH, null, null, null, "ua", "192.0.2.1",
                null, new OAuthClientId(UUID.randomUUID()), new Scopes("openid"));

        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.OAUTH_CLIENT_NOT_FOUND, command);
    }

    @Test
    void aSoftDeletedOAuthClientIsNotFound() {
        OAuthClient client = ports.newPublicClient("gone");
        ports.clients().softDelete(client.id(), ports.clock().peek());
        Command command = new Command(alice.id(), AuthenticationMethod.OAUTH, null, null, null, "ua", "192.0.2.1",
                null, client.id(), null);

        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.OAUTH_CLIENT_NOT_FOUND, command);
    }

    @Test
    void anOAuthClientSessionStoresClientAndScopesAndPutsThemInTheAccessToken() {
        OAuthClient client = ports.newPublicClient("cli");
        Command command = new Command(alice.id(), AuthenticationMethod.OAUTH, null, null, null, "ua", "192.0.2.1",
                null, client.id(), new Scopes("openid email"));

        TokenGrant grant = service.start(command);

        Session stored = ports.sessions().findById(grant.session().id()).orElseThrow();
        assertEquals(client.id(), stored.oauthClientId());
        assertEquals(new Scopes("openid email"), stored.scopes());
        AccessTokenSigner.Claims claims = ports.signer().claimsOf(grant.accessToken()).orElseThrow();
        assertEquals(client.id(), claims.clientId());
        assertEquals(new Scopes("openid email"), claims.scope());
    }

    @Test
    void scopesWithoutAClientAreRefused() {
        Command command = new Command(alice.id(), AuthenticationMethod.PASSWORD, null, null, null, "ua", "192.0.2.1",
                null, null, new Scopes("openid"));

        assertRejected(Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED, command);
    }

    @Test
    void aFactorWithAal1IsRefused() {
        Command command = new Command(alice.id(), AuthenticationMethod.TOTP, Aal.AAL1,
                new FactorId(UUID.randomUUID()), null, "ua", "192.0.2.1", null, null, null);

        assertRejected(Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED, command);
    }

    @Test
    void aFactorWithAal2IsStored() {
        FactorId factor = new FactorId(UUID.randomUUID());
        Command command = new Command(alice.id(), AuthenticationMethod.TOTP, Aal.AAL2, factor, null, "ua",
                "192.0.2.1", null, null, null);

        Session session = service.start(command).session();

        assertEquals(Aal.AAL2, session.aal());
        assertEquals(factor, session.factorId());
    }

    @Test
    void aNotAfterInThePastOrNowIsRefused() {
        Instant now = ports.clock().peek();
        for (Instant notAfter : List.of(now.minusSeconds(1), now)) {
            Command command = new Command(alice.id(), AuthenticationMethod.PASSWORD, null, null, notAfter, "ua",
                    "192.0.2.1", null, null, null);

            assertRejected(Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED, command);
        }
    }

    @Test
    void aNotAfterInTheFutureAndATagAreStored() {
        Instant notAfter = ports.clock().peek().plus(Duration.ofDays(1));
        Command command = new Command(alice.id(), AuthenticationMethod.PASSWORD, null, null, notAfter, "ua",
                "192.0.2.1", "mobile", null, null);

        Session session = service.start(command).session();

        assertEquals(notAfter, ports.sessions().findById(session.id()).orElseThrow().notAfter());
        assertEquals("mobile", ports.sessions().findById(session.id()).orElseThrow().tag());
    }
}
