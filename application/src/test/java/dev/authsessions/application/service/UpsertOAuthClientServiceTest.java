package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase.Command;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase.Result;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpsertOAuthClientServiceTest {
    private InMemoryPorts ports;
    private UpsertOAuthClientService service;
    private OAuthClientId id;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        service = new UpsertOAuthClientService(ports.clients(), ports.clock(), DatabaseMode.STANDALONE);
        id = new OAuthClientId(UUID.randomUUID());
    }

    private void assertRefused(Command command, String message) {
        Rejection rejection = assertThrows(Rejection.class, () -> service.upsert(command));
        assertEquals(Rejection.Kind.BAD_REQUEST, rejection.kind());
        assertEquals(ErrorCode.VALIDATION_FAILED, rejection.code());
        assertEquals(message, rejection.getMessage());
    }

    @Test
    void aConfidentialClientIsCreatedWithOnlyTheHashOfItsSecret() {
        Instant now = ports.clock().peek();

        Result result = service.upsert(new Command(id, "Web app", OAuthClient.Type.CONFIDENTIAL, "s3cret"));

        OAuthClient expected = new OAuthClient(id, "Web app", OAuthClient.Type.CONFIDENTIAL,
                ClientAuthentication.hashOf("s3cret"), now, now);
        assertTrue(result.created());
        assertEquals(expected, result.client());
        assertEquals(Optional.of(expected), ports.clients().findById(id));
        assertFalse(result.client().toString().contains("s3cret"));
    }

    @Test
    void aClientWithoutATypeIsConfidentialAsTheTableDefaultSays() {
        Result result = service.upsert(new Command(id, "Default", null, "s3cret"));

        assertEquals(OAuthClient.Type.CONFIDENTIAL, result.client().type());
        assertRefused(new Command(new OAuthClientId(UUID.randomUUID()), "Default", null, null),
                "client_secret is required for a confidential client");
    }

    @Test
    void aConfidentialClientNeedsANonEmptySecret() {
        assertRefused(new Command(id, "Web", OAuthClient.Type.CONFIDENTIAL, null),
                "client_secret is required for a confidential client");
        assertRefused(new Command(id, "Web", OAuthClient.Type.CONFIDENTIAL, ""),
                "client_secret is required for a confidential client");

        assertEquals(Optional.empty(), ports.clients().findById(id));
    }

    @Test
    void aPublicClientHasNoSecret() {
        assertRefused(new Command(id, "SPA", OAuthClient.Type.PUBLIC, "s3cret"), "a public client has no client_secret");
        assertEquals(Optional.empty(), ports.clients().findById(id));

        Result result = service.upsert(new Command(id, "SPA", OAuthClient.Type.PUBLIC, null));

        assertTrue(result.created());
        assertNull(result.client().secretHash());
        assertEquals(Optional.of(result.client()), ports.clients().findById(id));
    }

    @Test
    void anUpdateReplacesTheFieldsAndKeepsTheCreationTime() {
        Instant created = ports.clock().peek();
        service.upsert(new Command(id, "Web app", OAuthClient.Type.CONFIDENTIAL, "s3cret"));
        Instant updated = ports.clock().advance(Duration.ofMinutes(5));

        Result result = service.upsert(new Command(id, "Renamed SPA", OAuthClient.Type.PUBLIC, null));

        OAuthClient expected = new OAuthClient(id, "Renamed SPA", OAuthClient.Type.PUBLIC, null, created, updated);
        assertFalse(result.created());
        assertEquals(expected, result.client());
        assertEquals(Optional.of(expected), ports.clients().findById(id));
    }

    @Test
    void aNewSecretReplacesTheOldHash() {
        service.upsert(new Command(id, "Web", OAuthClient.Type.CONFIDENTIAL, "old"));

        service.upsert(new Command(id, "Web", OAuthClient.Type.CONFIDENTIAL, "new"));

        assertEquals(ClientAuthentication.hashOf("new"), ports.clients().findById(id).orElseThrow().secretHash());
    }

    @Test
    void oversizedFieldsAreRefused() {
        assertRefused(new Command(id, "n".repeat(1025), OAuthClient.Type.PUBLIC, null),
                "client_name must be at most 1024 characters and contain no NUL character");
        assertRefused(new Command(id, "a\u0000b", OAuthClient.Type.PUBLIC, null),
                "client_name must be at most 1024 characters and contain no NUL character");
        assertRefused(new Command(id, "Web", OAuthClient.Type.CONFIDENTIAL, "s".repeat(1025)),
                "client_secret must be at most 1024 characters");

        assertEquals(Optional.empty(), ports.clients().findById(id));
        assertTrue(service.upsert(new Command(id, "n".repeat(1024), OAuthClient.Type.PUBLIC, null)).created());
    }

    @Test
    void theCommandNeverShowsTheSecret() {
        assertFalse(new Command(id, "Web", OAuthClient.Type.CONFIDENTIAL, "s3cret").toString().contains("s3cret"));
    }
}
