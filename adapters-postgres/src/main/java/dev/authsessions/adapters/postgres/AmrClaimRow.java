package dev.authsessions.adapters.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A row of {@code auth.mfa_amr_claims}. The claim's time is {@code updated_at}, as in GoTrue (a
 * step-up that repeats a method moves it).
 */
record AmrClaimRow(String authenticationMethod, Instant updatedAt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The correlated subquery that {@link #fromJsonArray} reads: the session's claims as one JSON
     * array (or NULL), times in epoch microseconds so the session's time zone cannot matter.
     */
    static String jsonArrayOf(String sessionIdExpression) {
        return "(SELECT json_agg(json_build_object('method', c.authentication_method, "
                + "'at', (extract(epoch FROM c.updated_at) * 1000000)::bigint)) "
                + "FROM auth.mfa_amr_claims c WHERE c.session_id = " + sessionIdExpression + ")";
    }

    static AmrClaimRow read(ResultSet rs) throws SQLException {
        return new AmrClaimRow(
                rs.getString("authentication_method"),
                Timestamps.fromTimestamptz(rs.getObject("updated_at", OffsetDateTime.class)));
    }

    static List<AmrClaimRow> fromJsonArray(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            JsonNode array = JSON.readTree(json);
            List<AmrClaimRow> rows = new ArrayList<>(array.size());
            for (JsonNode claim : array) {
                long micros = claim.get("at").longValue();
                rows.add(new AmrClaimRow(claim.get("method").textValue(), Instant.EPOCH.plus(micros, ChronoUnit.MICROS)));
            }
            return rows;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable AMR claims from the database", e);
        }
    }

    static AmrClaimRow from(AmrClaim claim) {
        return new AmrClaimRow(claim.method().value(), claim.timestamp());
    }

    AmrClaim toDomain() {
        AuthenticationMethod method = AuthenticationMethod.fromValue(authenticationMethod)
                .orElseThrow(() -> new IllegalStateException(
                        "unknown authentication_method '" + authenticationMethod + "' in auth.mfa_amr_claims"));
        return new AmrClaim(method, updatedAt);
    }
}
