package dev.authsessions.bootstrap.e2e;

import dev.authsessions.adapters.postgres.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads the database directly, so end-to-end tests check rows and not only responses. */
final class Rows {
    private final TestDatabase database;

    Rows(TestDatabase database) {
        this.database = database;
    }

    Optional<Long> counterOf(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT refresh_token_counter FROM auth.sessions WHERE id = :id")
                .bind("id", sessionId).mapTo(Long.class).findOne());
    }

    /** The session's recorded {@code user_agent} and {@code ip} (as text, without a prefix length). */
    Map<String, Object> clientOf(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT user_agent, host(ip) AS ip FROM auth.sessions WHERE id = :id")
                .bind("id", sessionId).mapToMap().one());
    }

    boolean sessionExists(UUID sessionId) {
        return counterOf(sessionId).isPresent();
    }

    /** In the order of the ids' text form, which is PostgreSQL's (unsigned) uuid order, unlike {@link UUID#compareTo}. */
    List<UUID> sessionsOf(UUID userId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM auth.sessions WHERE user_id = :u")
                .bind("u", userId).mapTo(UUID.class).list()).stream()
                .sorted(java.util.Comparator.comparing(UUID::toString)).toList();
    }

    /**
     * Writes {@code count} plain aal1 sessions of the user straight into the table, three to a second going back from
     * {@code newest}, so that a listing has many rows (and ties on {@code created_at}) without as many HTTP calls.
     */
    void insertSessions(UUID userId, int count, java.time.Instant newest) {
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO auth.sessions (id, user_id, created_at, updated_at, aal, refresh_token_hmac_key,
                                                   refresh_token_counter)
                        SELECT gen_random_uuid(), :u, t, t, 'aal1', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 0
                          FROM generate_series(1, :count) AS g,
                               LATERAL (SELECT CAST(:newest AS timestamptz) - (g / 3) * interval '1 second' AS t) AS times""")
                .bind("u", userId).bind("count", count).bind("newest", java.time.OffsetDateTime.ofInstant(newest, java.time.ZoneOffset.UTC))
                .execute());
    }

    /** The columns of one session row the rules change, with enums and uuids as text; empty when the row is gone. */
    Optional<Map<String, Object>> session(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT user_id::text AS user_id, aal::text AS aal, factor_id::text AS factor_id,
                               refresh_token_counter, tag, oauth_client_id::text AS oauth_client_id, scopes
                          FROM auth.sessions WHERE id = :id""")
                .bind("id", sessionId).mapToMap().findOne());
    }

    /** The authentication methods of a session's AMR claims, sorted. */
    List<String> claimMethodsOf(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT authentication_method FROM auth.mfa_amr_claims WHERE session_id = :id ORDER BY 1")
                .bind("id", sessionId).mapTo(String.class).list());
    }

    /** One MFA factor: user_id, factor_type and status as text; empty when there is none. */
    Optional<Map<String, Object>> factor(UUID factorId) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT user_id::text AS user_id, factor_type::text AS factor_type, status::text AS status
                          FROM auth.mfa_factors WHERE id = :id""")
                .bind("id", factorId).mapToMap().findOne());
    }

    /** Every row of every table we own, as text, to prove a refused request changed nothing. */
    String snapshot() {
        return database.jdbi().withHandle(h -> {
            StringBuilder all = new StringBuilder();
            for (String table : List.of("users", "sessions", "mfa_amr_claims", "oauth_clients", "refresh_tokens", "mfa_factors")) {
                List<Map<String, Object>> rows = h.createQuery("SELECT * FROM auth." + table + " ORDER BY 1::text").mapToMap().list();
                all.append(table).append('=').append(rows).append('\n');
            }
            return all.toString();
        });
    }

    /** The stored {@code refresh_token_hmac_key}, as a database dump would show it. */
    String hmacKeyColumn(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT refresh_token_hmac_key FROM auth.sessions WHERE id = :id")
                .bind("id", sessionId).mapTo(String.class).one());
    }

    void setHmacKeyColumn(UUID sessionId, String value) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE auth.sessions SET refresh_token_hmac_key = :v WHERE id = :id")
                .bind("v", value).bind("id", sessionId).execute());
    }
}
