package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code auth.oauth_clients} in memory. It is the target of the sessions' foreign key and deleting
 * a client deletes its sessions; soft-deleted clients are kept but not found.
 */
public final class InMemoryOAuthClientRepository implements OAuthClientRepository {
    private record Row(OAuthClient client, Instant deletedAt) {
    }

    private final Map<OAuthClientId, Row> rows = new ConcurrentHashMap<>();
    private final InMemorySessionRepository sessions;

    public InMemoryOAuthClientRepository(InMemorySessionRepository sessions) {
        this.sessions = sessions;
        sessions.referenceClients(rows::containsKey);
    }

    @Override
    public Optional<OAuthClient> findById(OAuthClientId id) {
        Row row = rows.get(id);
        return row == null || row.deletedAt() != null ? Optional.empty() : Optional.of(row.client());
    }

    @Override
    public synchronized boolean upsert(OAuthClient client) {
        Row existing = rows.put(client.id(), new Row(client, null));
        return existing == null;
    }

    @Override
    public synchronized boolean delete(OAuthClientId id) {
        if (rows.remove(id) == null) {
            return false;
        }
        sessions.deleteAllOfClient(id);
        return true;
    }

    /** Sets {@code deleted_at}: the row and its sessions stay, but the client is no longer found. */
    public synchronized void softDelete(OAuthClientId id, Instant at) {
        rows.computeIfPresent(id, (k, row) -> new Row(row.client(), at));
    }
}
