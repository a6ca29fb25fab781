package dev.authsessions.adapters.postgres;

import dev.authsessions.domain.Aal;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jdbi.v3.core.statement.SqlStatement;

/** A row of {@code auth.sessions} as the driver sees it. */
record SessionRow(
        UUID id,
        UUID userId,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        UUID factorId,
        String aal,
        OffsetDateTime notAfter,
        LocalDateTime refreshedAt,
        String userAgent,
        String ip,
        String tag,
        UUID oauthClientId,
        String refreshTokenHmacKey,
        Long refreshTokenCounter,
        String scopes) {

    /** The select list that {@link #read} expects, for the table aliased as {@code alias}. */
    static String columns(String alias) {
        String a = alias + ".";
        return a + "id, " + a + "user_id, " + a + "created_at, " + a + "updated_at, " + a + "factor_id, "
                + a + "aal::text AS aal, " + a + "not_after, " + a + "refreshed_at, " + a + "user_agent, "
                + "host(" + a + "ip) AS ip, " + a + "tag, " + a + "oauth_client_id, " + a + "refresh_token_hmac_key, "
                + a + "refresh_token_counter, " + a + "scopes";
    }

    /** The select list for RETURNING, where the table has no alias. */
    static final String RETURNING_COLUMNS = "id, user_id, created_at, updated_at, factor_id, aal::text AS aal, "
            + "not_after, refreshed_at, user_agent, host(ip) AS ip, tag, oauth_client_id, refresh_token_hmac_key, "
            + "refresh_token_counter, scopes";

    static SessionRow read(ResultSet rs) throws SQLException {
        return new SessionRow(
                rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getObject("factor_id", UUID.class),
                rs.getString("aal"),
                rs.getObject("not_after", OffsetDateTime.class),
                rs.getObject("refreshed_at", LocalDateTime.class),
                rs.getString("user_agent"),
                rs.getString("ip"),
                rs.getString("tag"),
                rs.getObject("oauth_client_id", UUID.class),
                rs.getString("refresh_token_hmac_key"),
                rs.getObject("refresh_token_counter", Long.class),
                rs.getString("scopes"));
    }

    /** The row for {@code session}, its HMAC key as {@code encryption} stores it. */
    static SessionRow from(Session session, HmacKeyEncryption encryption) {
        return new SessionRow(
                session.id().value(),
                session.userId().value(),
                Timestamps.toTimestamptz(session.createdAt()),
                Timestamps.toTimestamptz(session.updatedAt()),
                session.factorId() == null ? null : session.factorId().value(),
                session.aal().value(),
                Timestamps.toTimestamptz(session.notAfter()),
                Timestamps.toUtcTimestamp(session.refreshedAt()),
                session.userAgent(),
                session.ip(),
                session.tag(),
                session.oauthClientId() == null ? null : session.oauthClientId().value(),
                session.isLegacy() ? null : encryption.seal(session.id().value(), session.refreshTokenHmacKey()),
                session.isLegacy() ? null : session.refreshTokenCounter(),
                session.scopes() == null ? null : session.scopes().value());
    }

    /** Binds every column under its record component name ({@code :userId}, {@code :refreshTokenHmacKey}...). */
    <S extends SqlStatement<S>> S bindTo(S statement) {
        return statement
                .bind("id", id)
                .bind("userId", userId)
                .bind("createdAt", createdAt)
                .bind("updatedAt", updatedAt)
                .bind("factorId", factorId)
                .bind("aal", aal)
                .bind("notAfter", notAfter)
                .bind("refreshedAt", refreshedAt)
                .bind("userAgent", userAgent)
                .bind("ip", ip)
                .bind("tag", tag)
                .bind("oauthClientId", oauthClientId)
                .bind("refreshTokenHmacKey", refreshTokenHmacKey)
                .bind("refreshTokenCounter", refreshTokenCounter)
                .bind("scopes", scopes);
    }

    /** Without the HMAC key: rows end up in exception messages. */
    @Override
    public String toString() {
        return "SessionRow[id=" + id + ", userId=" + userId + ", counter=" + refreshTokenCounter + "]";
    }

    /**
     * Fails loudly on a row whose key {@code encryption} cannot read ({@link HmacKeyEncryption.StoredKeyException}).
     * A row without a key or without a counter is a legacy session, as GoTrue reads it (not set up for v2 tokens).
     */
    Session toDomain(HmacKeyEncryption encryption) {
        boolean legacy = refreshTokenHmacKey == null || refreshTokenCounter == null;
        // GoTrue reads a missing aal as aal1.
        Aal level = aal == null ? Aal.AAL1 : Aal.fromValue(aal)
                .orElseThrow(() -> new IllegalStateException("session " + id + " has an unknown aal"));
        return new Session(
                new SessionId(id),
                new UserId(userId),
                Timestamps.fromTimestamptz(createdAt),
                Timestamps.fromTimestamptz(updatedAt),
                factorId == null ? null : new FactorId(factorId),
                level,
                Timestamps.fromTimestamptz(notAfter),
                Timestamps.fromUtcTimestamp(refreshedAt),
                userAgent,
                ip,
                tag,
                oauthClientId == null ? null : new OAuthClientId(oauthClientId),
                legacy ? null : encryption.open(id, refreshTokenHmacKey),
                legacy ? 0 : refreshTokenCounter,
                scopes == null ? null : new Scopes(scopes));
    }
}
