package dev.authsessions.adapters.postgres;

import static dev.authsessions.adapters.postgres.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbiOAuthClientRepositoryTest {
    private static TestDatabase database;
    private static Jdbi jdbi;
    private static JdbiOAuthClientRepository clients;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
        jdbi = database.jdbi();
        clients = new JdbiOAuthClientRepository(jdbi);
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static OAuthClient confidential(OAuthClientId id) {
        return new OAuthClient(id, "Billing", OAuthClient.Type.CONFIDENTIAL, "c2VjcmV0LWhhc2g", T0, T0);
    }

    @Test
    void missingTimesDefaultToNow() {
        OAuthClientId id = new OAuthClientId(UUID.randomUUID());
        assertTrue(clients.upsert(new OAuthClient(id, null, OAuthClient.Type.PUBLIC, null, null, null)));
        OAuthClient stored = clients.findById(id).orElseThrow();
        assertNotNull(stored.createdAt());
        assertNotNull(stored.updatedAt());
    }

    @Test
    void aSoftDeletedClientWrittenAgainIsCreatedAfreshWithoutItsOldSessions() {
        OAuthClientId id = new OAuthClientId(UUID.randomUUID());
        clients.upsert(confidential(id));
        User user = new JdbiUserRepository(jdbi).upsert(Fixtures.user()).user();
        JdbiSessionRepository sessions = new JdbiSessionRepository(jdbi);
        Session old = Fixtures.fullSession(user.id(), id);
        sessions.create(old, Fixtures.claim(AuthenticationMethod.OAUTH, T0));
        jdbi.useHandle(h -> h.createUpdate("UPDATE auth.oauth_clients SET deleted_at = now() WHERE id = :id")
                .bind("id", id.value()).execute());
        assertEquals(Optional.empty(), clients.findById(id));

        assertTrue(clients.upsert(confidential(id)), "a soft-deleted client written again is created");

        assertEquals(Optional.of(confidential(id)), clients.findById(id));
        assertEquals(Optional.empty(), sessions.findById(old.id()));
    }
}
