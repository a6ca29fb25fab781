package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.User;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeleteOAuthClientServiceTest {
    private InMemoryPorts ports;
    private User alice;
    private DeleteOAuthClientService service;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        alice = ports.newUser("alice@example.com");
        service = new DeleteOAuthClientService(ports.clients(), DatabaseMode.STANDALONE);
    }

    private TokenGrant start(OAuthClient client) {
        return new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), SessionSettings.defaults())
                .start(new StartSessionUseCase.Command(alice.id(), AuthenticationMethod.OAUTH, null, null, null,
                        "ua", "192.0.2.1", null, client == null ? null : client.id(), null));
    }

    @Test
    void deletingAClientDeletesItAndItsSessionsOnly() {
        OAuthClient client = ports.newPublicClient("SPA");
        OAuthClient other = ports.newPublicClient("Other");
        TokenGrant ofClient = start(client);
        TokenGrant ofOther = start(other);
        TokenGrant plain = start(null);

        service.delete(client.id());

        assertEquals(Optional.empty(), ports.clients().findById(client.id()));
        assertEquals(Optional.empty(), ports.sessions().findById(ofClient.session().id()));
        assertEquals(Optional.of(ofOther.session()), ports.sessions().findById(ofOther.session().id()));
        assertEquals(Optional.of(plain.session()), ports.sessions().findById(plain.session().id()));
    }

    @Test
    void anUnknownClientIsNotFound() {
        Rejection rejection = assertThrows(Rejection.class, () -> service.delete(new OAuthClientId(UUID.randomUUID())));

        assertEquals(Rejection.Kind.NOT_FOUND, rejection.kind());
        assertEquals(ErrorCode.OAUTH_CLIENT_NOT_FOUND, rejection.code());
        assertEquals("OAuth client not found", rejection.getMessage());
    }

    @Test
    void aDeletedClientIsNotFoundTheSecondTime() {
        OAuthClient client = ports.newPublicClient("SPA");
        service.delete(client.id());

        Rejection rejection = assertThrows(Rejection.class, () -> service.delete(client.id()));

        assertEquals(ErrorCode.OAUTH_CLIENT_NOT_FOUND, rejection.code());
    }
}
