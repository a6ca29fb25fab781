package dev.authsessions.adapters.postgres;

import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jdbi.v3.core.statement.SqlStatement;

/** A row of {@code auth.oauth_clients}. */
record OAuthClientRow(
        UUID id,
        String clientName,
        String clientType,
        String clientSecretHash,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    static final String COLUMNS = "id, client_name, client_type::text AS client_type, client_secret_hash, created_at, updated_at";

    static OAuthClientRow read(ResultSet rs) throws SQLException {
        return new OAuthClientRow(
                rs.getObject("id", UUID.class),
                rs.getString("client_name"),
                rs.getString("client_type"),
                rs.getString("client_secret_hash"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    static OAuthClientRow from(OAuthClient client) {
        return new OAuthClientRow(
                client.id().value(),
                client.name(),
                client.type().value(),
                client.secretHash(),
                Timestamps.toTimestamptz(client.createdAt()),
                Timestamps.toTimestamptz(client.updatedAt()));
    }

    <S extends SqlStatement<S>> S bindTo(S statement) {
        return statement
                .bind("id", id)
                .bind("clientName", clientName)
                .bind("clientType", clientType)
                .bind("clientSecretHash", clientSecretHash)
                .bind("createdAt", createdAt)
                .bind("updatedAt", updatedAt);
    }

    /** Without the secret hash. */
    @Override
    public String toString() {
        return "OAuthClientRow[id=" + id + ", type=" + clientType + "]";
    }

    OAuthClient toDomain() {
        OAuthClient.Type type = OAuthClient.Type.fromValue(clientType)
                .orElseThrow(() -> new IllegalStateException("oauth client " + id + " has an unknown client_type"));
        return new OAuthClient(
                new OAuthClientId(id),
                clientName,
                type,
                clientSecretHash,
                Timestamps.fromTimestamptz(createdAt),
                Timestamps.fromTimestamptz(updatedAt));
    }
}
