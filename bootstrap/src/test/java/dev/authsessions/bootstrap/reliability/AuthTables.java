package dev.authsessions.bootstrap.reliability;

import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.domain.HmacKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads the database directly, so the reliability tests check rows and not only answers. The
 * snapshot covers every table of the {@code auth} schema, including tables added after this was written.
 */
final class AuthTables {
    private final TestDatabase database;
    private volatile String fingerprintQuery;

    AuthTables(TestDatabase database) {
        this.database = database;
    }

    Optional<Long> counterOf(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT refresh_token_counter FROM auth.sessions WHERE id = :id")
                .bind("id", sessionId).mapTo(Long.class).findOne());
    }

    long counterOfExisting(UUID sessionId) {
        return counterOf(sessionId).orElseThrow(() -> new AssertionError("session " + sessionId + " is gone"));
    }

    boolean sessionExists(UUID sessionId) {
        return counterOf(sessionId).isPresent();
    }

    String aalOf(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT aal::text FROM auth.sessions WHERE id = :id")
                .bind("id", sessionId).mapTo(String.class).one());
    }

    List<String> amrMethodsOf(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT authentication_method FROM auth.mfa_amr_claims WHERE session_id = :id ORDER BY 1")
                .bind("id", sessionId).mapTo(String.class).list());
    }

    /** The session's refresh-token key, as stored (the tests run without encryption at rest). */
    HmacKey keyOf(UUID sessionId) {
        return HmacKey.fromBase64Url(database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT refresh_token_hmac_key FROM auth.sessions WHERE id = :id")
                .bind("id", sessionId).mapTo(String.class).one()));
    }

    List<UUID> sessionsOf(UUID userId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM auth.sessions WHERE user_id = :u ORDER BY id::text")
                .bind("u", userId).mapTo(UUID.class).list());
    }

    private List<String> tables() {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT table_name FROM information_schema.tables
                         WHERE table_schema = 'auth' AND table_type = 'BASE TABLE' ORDER BY table_name""")
                .mapTo(String.class).list());
    }

    /** Empties every {@code auth} table but the migration history, so a test can rebuild its fixture from nothing. */
    void truncateAll() {
        String tables = tables().stream().filter(t -> !t.equals("flyway_schema_history"))
                .map(t -> "auth.\"" + t + "\"").collect(Collectors.joining(", "));
        database.jdbi().useHandle(h -> h.execute("TRUNCATE " + tables + " CASCADE"));
    }

    /** Every row of every {@code auth} table, as text: the before/after picture of a test. */
    String snapshot() {
        List<String> tables = tables();
        return database.jdbi().withHandle(h -> {
            StringBuilder all = new StringBuilder();
            for (String table : tables) {
                List<String> rows = h.createQuery("SELECT t::text FROM auth.\"" + table + "\" t ORDER BY 1").mapTo(String.class).list();
                all.append(table).append(" (").append(rows.size()).append(" rows)\n");
                rows.forEach(row -> all.append("  ").append(row).append('\n'));
            }
            return all.toString();
        });
    }

    /** A digest of {@link #snapshot()} in one round trip, cheap enough to take after every request. */
    String fingerprint() {
        if (fingerprintQuery == null) {
            fingerprintQuery = tables().stream()
                    .map(t -> "(SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM auth.\"" + t + "\" t)")
                    .collect(Collectors.joining(" || ", "SELECT md5(", ")"));
        }
        return database.jdbi().withHandle(h -> h.createQuery(fingerprintQuery).mapTo(String.class).one());
    }

    /** The lines of {@code after} that are not in {@code before} and vice versa, for a failure message. */
    static String difference(String before, String after) {
        List<String> was = before.lines().toList();
        List<String> is = after.lines().toList();
        String removed = was.stream().filter(l -> !is.contains(l)).map(l -> "- " + l).collect(Collectors.joining("\n"));
        String added = is.stream().filter(l -> !was.contains(l)).map(l -> "+ " + l).collect(Collectors.joining("\n"));
        return removed + "\n" + added;
    }

    Map<String, Object> sessionRow(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM auth.sessions WHERE id = :id")
                .bind("id", sessionId).mapToMap().one());
    }
}
