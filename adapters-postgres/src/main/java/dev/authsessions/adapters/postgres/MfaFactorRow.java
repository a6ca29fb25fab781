package dev.authsessions.adapters.postgres;

import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The columns of {@code auth.mfa_factors} a session authority needs (GoTrue's secrets and names stay out). */
record MfaFactorRow(UUID id, UUID userId, String factorType, String status, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /** The select (or RETURNING) list that {@link #read} expects. */
    static final String COLUMNS = "id, user_id, factor_type::text AS factor_type, status::text AS status, "
            + "created_at, updated_at";

    static MfaFactorRow read(ResultSet rs) throws SQLException {
        return new MfaFactorRow(
                rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getString("factor_type"),
                rs.getString("status"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    static MfaFactorRow from(MfaFactor factor) {
        return new MfaFactorRow(
                factor.id().value(),
                factor.userId().value(),
                factor.type().value(),
                factor.status().value(),
                Timestamps.toTimestamptz(factor.createdAt()),
                Timestamps.toTimestamptz(factor.updatedAt()));
    }

    MfaFactor toDomain() {
        FactorType type = FactorType.fromValue(factorType)
                .orElseThrow(() -> new IllegalStateException("factor " + id + " has an unknown factor_type"));
        MfaFactor.Status level = MfaFactor.Status.fromValue(status)
                .orElseThrow(() -> new IllegalStateException("factor " + id + " has an unknown status"));
        return new MfaFactor(new FactorId(id), new UserId(userId), type, level,
                Timestamps.fromTimestamptz(createdAt), Timestamps.fromTimestamptz(updatedAt));
    }
}
