package dev.authsessions.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented behaviour of {@link OAuthClientRepository} that the OAuth client use cases rely on,
 * run against every implementation (the cascade to sessions is in {@link SessionRepositoryContract}).
 */
public abstract class OAuthClientRepositoryContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
    protected static final Instant T1 = T0.plusSeconds(30).plusNanos(111_000);

    private OAuthClientRepository clients;

    /** A repository over an empty or shared store; called before every test. */
    protected abstract OAuthClientRepository createClientRepository();

    /** Sets the client's {@code deleted_at} without removing the row. */
    protected abstract void softDeleteClient(OAuthClientId id, Instant at);

    @BeforeEach
    void createRepository() {
        clients = createClientRepository();
    }

    private static OAuthClientId newId() {
        return new OAuthClientId(UUID.randomUUID());
    }

    @Test
    void upsertOfANewClientCreatesItWithEveryField() {
        OAuthClient client = new OAuthClient(newId(), "Web app", OAuthClient.Type.CONFIDENTIAL,
                "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg", T0, T0.plusNanos(1_000));

        assertTrue(clients.upsert(client));

        assertEquals(Optional.of(client), clients.findById(client.id()));
    }

    @Test
    void upsertOfAnExistingClientReplacesItsFields() {
        OAuthClientId id = newId();
        clients.upsert(new OAuthClient(id, "Web app", OAuthClient.Type.CONFIDENTIAL, "aGFzaA", T0, T0));
        OAuthClient changed = new OAuthClient(id, null, OAuthClient.Type.PUBLIC, null, T0, T1);

        assertFalse(clients.upsert(changed));

        assertEquals(Optional.of(changed), clients.findById(id));
    }

    @Test
    void deleteRemovesExactlyThatClient() {
        OAuthClient kept = new OAuthClient(newId(), "kept", OAuthClient.Type.PUBLIC, null, T0, T0);
        OAuthClient gone = new OAuthClient(newId(), "gone", OAuthClient.Type.PUBLIC, null, T0, T0);
        clients.upsert(kept);
        clients.upsert(gone);

        assertTrue(clients.delete(gone.id()));

        assertEquals(Optional.empty(), clients.findById(gone.id()));
        assertEquals(Optional.of(kept), clients.findById(kept.id()));
        assertFalse(clients.delete(gone.id()), "a second delete finds nothing");
    }

    @Test
    void anUnknownClientIsNeitherFoundNorDeleted() {
        OAuthClientId id = newId();
        assertEquals(Optional.empty(), clients.findById(id));
        assertFalse(clients.delete(id));
    }

    @Test
    void aSoftDeletedClientIsNotFound() {
        OAuthClient client = new OAuthClient(newId(), "soft", OAuthClient.Type.PUBLIC, null, T0, T0);
        clients.upsert(client);

        softDeleteClient(client.id(), T1);

        assertEquals(Optional.empty(), clients.findById(client.id()));
    }
}
