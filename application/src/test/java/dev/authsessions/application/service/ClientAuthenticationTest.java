package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ClientAuthenticationTest {
    private static final String SECRET = "s3cr3t-client-secret";

    private InMemoryPorts ports;
    private ClientAuthentication authentication;
    private User alice;
    private OAuthClient publicClient;
    private OAuthClient confidentialClient;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        authentication = new ClientAuthentication(ports.clients());
        alice = ports.newUser("alice@example.com");
        publicClient = ports.newPublicClient("spa");
        confidentialClient = ports.newConfidentialClient("backend", ClientAuthentication.hashOf(SECRET));
    }

    private Session session(OAuthClientId client) {
        Instant now = ports.clock().peek();
        return new Session(new SessionId(UUID.randomUUID()), alice.id(), now, now, null, Aal.AAL1, null, null,
                "ua", "192.0.2.1", null, client, HmacKey.of(ports.random().nextBytes(32)), 0, null);
    }

    private static void assertInvalidClient(Executable check) {
        Rejection rejection = assertThrows(Rejection.class, check);
        assertEquals(Rejection.Kind.BAD_REQUEST, rejection.kind());
        assertEquals(ErrorCode.INVALID_CLIENT, rejection.code());
    }

    @Test
    void aPlainSessionNeedsNoClient() {
        assertDoesNotThrow(() -> authentication.check(session(null), null, null));
    }

    @Test
    void aPlainSessionRefusesAClientId() {
        assertInvalidClient(() -> authentication.check(session(null), publicClient.id(), null));
    }

    @Test
    void anOAuthSessionNeedsAClientId() {
        assertInvalidClient(() -> authentication.check(session(publicClient.id()), null, null));
    }

    @Test
    void anOAuthSessionRefusesAnotherClientsId() {
        assertInvalidClient(() -> authentication.check(session(publicClient.id()), confidentialClient.id(), SECRET));
        assertInvalidClient(() -> authentication.check(session(confidentialClient.id()), publicClient.id(), null));
    }

    @Test
    void aPublicClientNeedsNoSecret() {
        assertDoesNotThrow(() -> authentication.check(session(publicClient.id()), publicClient.id(), null));
    }

    @Test
    void aConfidentialClientNeedsItsSecret() {
        Session session = session(confidentialClient.id());

        assertDoesNotThrow(() -> authentication.check(session, confidentialClient.id(), SECRET));
        assertInvalidClient(() -> authentication.check(session, confidentialClient.id(), null));
        assertInvalidClient(() -> authentication.check(session, confidentialClient.id(), ""));
        assertInvalidClient(() -> authentication.check(session, confidentialClient.id(), SECRET + "x"));
        assertInvalidClient(() -> authentication.check(session, confidentialClient.id(),
                ClientAuthentication.hashOf(SECRET)));
    }

    @Test
    void aDeletedClientIsRefusedEvenWithTheRightSecret() {
        Session session = session(confidentialClient.id());
        ports.clients().softDelete(confidentialClient.id(), ports.clock().peek());

        assertInvalidClient(() -> authentication.check(session, confidentialClient.id(), SECRET));
    }

    @Test
    void hashOfIsBase64UrlOfSha256WithoutPadding() {
        // Computed with python3: base64.urlsafe_b64encode(hashlib.sha256(b"abc").digest()).rstrip(b"=")
        assertEquals("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0", ClientAuthentication.hashOf("abc"));
        assertEquals("qi1s7V341S2zuGzaRxPxYRieaPmbo9p1ezidYrA4Jms", ClientAuthentication.hashOf(SECRET));
    }
}
