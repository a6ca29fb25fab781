package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthenticateServiceTest {
    private InMemoryPorts ports;
    private AuthenticateService service;
    private User alice;
    private User bob;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        service = new AuthenticateService(ports.signer(), ports.sessions(), ports.users(), ports.clock());
        alice = ports.newUser("alice@example.com");
        bob = ports.newUser("bob@example.com");
    }

    private TokenGrant start(User user) {
        return new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), SessionSettings.defaults())
                .start(new StartSessionUseCase.Command(user.id(), AuthenticationMethod.PASSWORD, null, null, null,
                        "ua", "192.0.2.1", null, null, null));
    }

    private void assertForbidden(ErrorCode code, String accessToken) {
        Rejection rejection = assertThrows(Rejection.class, () -> service.authenticate(accessToken));
        assertEquals(Rejection.Kind.FORBIDDEN, rejection.kind());
        assertEquals(code, rejection.code());
    }

    @Test
    void aValidTokenNamesItsUserAndSession() {
        TokenGrant grant = start(alice);

        Caller caller = service.authenticate(grant.accessToken());

        assertEquals(alice, caller.user());
        assertEquals(grant.session(), caller.session());
    }

    @Test
    void aTokenThatDoesNotVerifyIsABadJwt() {
        start(alice);

        assertForbidden(ErrorCode.BAD_JWT, "eyJhbGciOiJub25lIn0.e30.");
        assertForbidden(ErrorCode.BAD_JWT, "");
        assertForbidden(ErrorCode.BAD_JWT, null);
    }

    @Test
    void anExpiredTokenIsABadJwt() {
        TokenGrant grant = start(alice);
        ports.clock().setInstant(grant.expiresAt());

        assertForbidden(ErrorCode.BAD_JWT, grant.accessToken());
    }

    @Test
    void aTokenOfADeletedSessionIsRefused() {
        TokenGrant grant = start(alice);
        ports.sessions().delete(grant.session().id());

        assertForbidden(ErrorCode.SESSION_NOT_FOUND, grant.accessToken());
    }

    @Test
    void aTokenNamingAnotherUsersSessionIsRefused() {
        TokenGrant bobs = start(bob);
        Instant now = ports.clock().peek();
        String mixed = ports.signer().sign(new AccessTokenSigner.Claims(alice, bobs.session().id(), Aal.AAL1,
                List.of(), now, now.plus(Duration.ofHours(1)), null, null));

        assertForbidden(ErrorCode.SESSION_NOT_FOUND, mixed);
    }

    @Test
    void aTokenOfASoftDeletedUserIsRefused() {
        TokenGrant grant = start(alice);
        ports.users().softDelete(alice.id(), ports.clock().peek());

        assertForbidden(ErrorCode.USER_NOT_FOUND, grant.accessToken());
    }

    @Test
    void aTokenOfADeletedUserIsRefusedBecauseItsSessionWentWithIt() {
        TokenGrant grant = start(alice);
        ports.users().delete(alice.id());

        assertForbidden(ErrorCode.SESSION_NOT_FOUND, grant.accessToken());
    }

    @Test
    void aBannedUsersTokenIsRefused() {
        TokenGrant grant = start(alice);
        ports.ban(alice.id(), ports.clock().peek().plus(Duration.ofMinutes(5)));

        assertForbidden(ErrorCode.USER_BANNED, grant.accessToken());
    }
}
