package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link OAuthClientRepository} on {@code auth.oauth_clients}; soft-deleted clients are not found. */
public final class JdbiOAuthClientRepository implements OAuthClientRepository {
    private static final String FIND_BY_ID = "SELECT " + OAuthClientRow.COLUMNS
            + " FROM auth.oauth_clients WHERE id = :id AND deleted_at IS NULL";
    // A soft-deleted client that is written again comes back as new, without its old sessions.
    private static final String DELETE_SESSIONS_OF_SOFT_DELETED = """
            DELETE FROM auth.sessions s USING auth.oauth_clients c
             WHERE c.id = :id AND c.deleted_at IS NOT NULL AND s.oauth_client_id = c.id
            """;
    private static final String UPSERT = """
            WITH previous AS (SELECT deleted_at IS NOT NULL AS was_deleted FROM auth.oauth_clients WHERE id = :id)
            INSERT INTO auth.oauth_clients AS c (id, client_name, client_type, client_secret_hash, created_at, updated_at)
            VALUES (:id, :clientName, CAST(:clientType AS auth.oauth_client_type), :clientSecretHash,
                COALESCE(:createdAt, now()), COALESCE(:updatedAt, now()))
            ON CONFLICT (id) DO UPDATE SET
                client_name = EXCLUDED.client_name, client_type = EXCLUDED.client_type,
                client_secret_hash = EXCLUDED.client_secret_hash, updated_at = EXCLUDED.updated_at,
                created_at = CASE WHEN c.deleted_at IS NULL THEN c.created_at ELSE EXCLUDED.created_at END,
                deleted_at = NULL
            RETURNING (c.xmax = 0 OR COALESCE((SELECT was_deleted FROM previous), false)) AS created
            """;

    private final StorageAccess db;

    @Inject
    public JdbiOAuthClientRepository(Jdbi jdbi) {
        this.db = new StorageAccess(jdbi);
    }

    @Override
    public Optional<OAuthClient> findById(OAuthClientId id) {
        return db.withHandle(handle -> handle.createQuery(FIND_BY_ID)
                        .bind("id", id.value())
                        .map((rs, ctx) -> OAuthClientRow.read(rs))
                        .findOne())
                .map(OAuthClientRow::toDomain);
    }

    @Override
    public boolean upsert(OAuthClient client) {
        OAuthClientRow row = OAuthClientRow.from(client);
        return db.inTransaction(handle -> {
            handle.createUpdate(DELETE_SESSIONS_OF_SOFT_DELETED).bind("id", row.id()).execute();
            return row.bindTo(handle.createQuery(UPSERT))
                    .mapTo(Boolean.class)
                    .one();
        });
    }

    @Override
    public boolean delete(OAuthClientId id) {
        return db.withHandle(handle -> handle.createUpdate("DELETE FROM auth.oauth_clients WHERE id = :id")
                .bind("id", id.value())
                .execute()) > 0;
    }
}
