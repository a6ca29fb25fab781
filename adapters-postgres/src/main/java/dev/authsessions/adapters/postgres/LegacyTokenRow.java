package dev.authsessions.adapters.postgres;

import dev.authsessions.domain.IssuedLegacyToken;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** A row of {@code auth.refresh_tokens} (GoTrue's v1 tokens) as the driver sees it. */
record LegacyTokenRow(
        long id,
        String token,
        String userId,
        Boolean revoked,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        String parent,
        UUID sessionId) {

    static final String COLUMNS = "id, token, user_id, revoked, created_at, updated_at, parent, session_id";

    static LegacyTokenRow read(ResultSet rs) throws SQLException {
        return new LegacyTokenRow(
                rs.getLong("id"),
                rs.getString("token"),
                rs.getString("user_id"),
                rs.getObject("revoked", Boolean.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getString("parent"),
                rs.getObject("session_id", UUID.class));
    }

    /** The row's user id, if it is one ({@code user_id} is text in GoTrue's schema). */
    Optional<UUID> userUuid() {
        try {
            return userId == null ? Optional.empty() : Optional.of(UUID.fromString(userId));
        } catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }

    /**
     * A NULL {@code revoked} counts as revoked (it can never be swapped as a live token); a NULL
     * {@code updated_at} as the creation time, or long ago, so it opens no reuse interval.
     */
    IssuedLegacyToken toDomain() {
        OffsetDateTime changed = updatedAt != null ? updatedAt : createdAt;
        return new IssuedLegacyToken(id, token, revoked == null || revoked,
                changed == null ? Instant.EPOCH : Timestamps.fromTimestamptz(changed), parent);
    }

    /** Without the token: rows end up in exception messages. */
    @Override
    public String toString() {
        return "LegacyTokenRow[id=" + id + ", session=" + sessionId + ", revoked=" + revoked + "]";
    }
}
