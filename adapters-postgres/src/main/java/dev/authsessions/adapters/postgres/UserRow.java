package dev.authsessions.adapters.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The columns of {@code auth.users} a session needs, plus {@code hasVerifiedFactor} derived from
 * {@code auth.mfa_factors}. Metadata columns travel as JSON text.
 */
record UserRow(
        UUID id,
        String aud,
        String role,
        String email,
        String phone,
        String appMetadata,
        String userMetadata,
        boolean isAnonymous,
        OffsetDateTime bannedUntil,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        boolean hasVerifiedFactor) {

    /**
     * PostgreSQL prints a jsonb number in full ({@code 1e-400} as 402 characters), up to its numeric
     * type's 131072 digits before and 16383 after the point; every such number must read back, and at
     * its exact value, so decimals are {@code BigDecimal}s and no length limit short of that applies.
     */
    private static final int LONGEST_JSONB_NUMBER = 131_072 + 1 + 16_383 + 1;
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(LONGEST_JSONB_NUMBER).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /** The select list that {@link #read} expects, each column named {@code prefix + column}. */
    static String columns(String alias, String prefix) {
        String a = alias.isEmpty() ? "" : alias + ".";
        return a + "id AS " + prefix + "id, " + a + "aud AS " + prefix + "aud, " + a + "role AS " + prefix + "role, "
                + a + "email AS " + prefix + "email, " + a + "phone AS " + prefix + "phone, "
                + a + "raw_app_meta_data::text AS " + prefix + "app_metadata, "
                + a + "raw_user_meta_data::text AS " + prefix + "user_metadata, "
                + a + "is_anonymous AS " + prefix + "is_anonymous, " + a + "banned_until AS " + prefix + "banned_until, "
                + a + "created_at AS " + prefix + "created_at, " + a + "updated_at AS " + prefix + "updated_at, "
                + "EXISTS (SELECT 1 FROM auth.mfa_factors f WHERE f.user_id = " + a + "id AND f.status = 'verified') AS "
                + prefix + "has_verified_factor";
    }

    static UserRow read(ResultSet rs, String prefix) throws SQLException {
        return new UserRow(
                rs.getObject(prefix + "id", UUID.class),
                rs.getString(prefix + "aud"),
                rs.getString(prefix + "role"),
                rs.getString(prefix + "email"),
                rs.getString(prefix + "phone"),
                rs.getString(prefix + "app_metadata"),
                rs.getString(prefix + "user_metadata"),
                rs.getBoolean(prefix + "is_anonymous"),
                rs.getObject(prefix + "banned_until", OffsetDateTime.class),
                rs.getObject(prefix + "created_at", OffsetDateTime.class),
                rs.getObject(prefix + "updated_at", OffsetDateTime.class),
                rs.getBoolean(prefix + "has_verified_factor"));
    }

    static UserRow from(User user) {
        return new UserRow(
                user.id().value(),
                user.aud(),
                user.role(),
                user.email(),
                user.phone(),
                toJson(user.appMetadata()),
                toJson(user.userMetadata()),
                user.isAnonymous(),
                Timestamps.toTimestamptz(user.bannedUntil()),
                Timestamps.toTimestamptz(user.createdAt()),
                Timestamps.toTimestamptz(user.updatedAt()),
                user.hasVerifiedFactor());
    }

    <S extends SqlStatement<S>> S bindTo(S statement) {
        return statement
                .bind("id", id)
                .bind("aud", aud)
                .bind("role", role)
                .bind("email", email)
                .bind("phone", phone)
                .bind("appMetadata", appMetadata)
                .bind("userMetadata", userMetadata)
                .bind("isAnonymous", isAnonymous)
                .bind("bannedUntil", bannedUntil)
                .bind("createdAt", createdAt)
                .bind("updatedAt", updatedAt);
    }

    /** Only the id: the rest is personal data that does not belong in exception messages. */
    @Override
    public String toString() {
        return "UserRow[id=" + id + "]";
    }

    User toDomain() {
        return new User(
                new UserId(id),
                aud,
                role,
                email,
                phone,
                fromJson(appMetadata, "raw_app_meta_data"),
                fromJson(userMetadata, "raw_user_meta_data"),
                isAnonymous,
                Timestamps.fromTimestamptz(bannedUntil),
                Timestamps.fromTimestamptz(createdAt),
                Timestamps.fromTimestamptz(updatedAt),
                hasVerifiedFactor);
    }

    private static String toJson(Map<String, Object> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata cannot be written as JSON", e);
        }
    }

    private Map<String, Object> fromJson(String json, String column) {
        if (json == null || json.equals("null")) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("user " + id + " has a " + column + " that is not a JSON object", e);
        }
    }
}
