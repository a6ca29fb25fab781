package dev.authsessions.bootstrap.e2e;

import dev.authsessions.adapters.postgres.TestDatabase;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Writes and refreshes legacy (v1) sessions the way GoTrue (supabase/auth at bc32168e) does, in SQL, so tests
 * can put GoTrue's rows in front of the service and race GoTrue's own refresh transaction against it. Facts from
 * GoTrue's models: a v1 session row has no {@code refresh_token_hmac_key}/{@code refresh_token_counter}; a
 * {@code refresh_tokens} row has the nil {@code instance_id}, the user id as text, the token as 12 lowercase base32
 * characters, {@code parent} NULL for the first token of a session, {@code created_at = updated_at}; a refresh
 * takes {@code SELECT … FOR UPDATE SKIP LOCKED} on the token and then on the session (retrying when either is
 * locked), revokes the token ({@code updated_at} moves), inserts its child and records the refresh on the session.
 */
final class GoTrueWrites {
    private static final String NIL = "00000000-0000-0000-0000-000000000000";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final TestDatabase database;

    GoTrueWrites(TestDatabase database) {
        this.database = database;
    }

    static String newToken() {
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            token.append(BASE32[RANDOM.nextInt(32)]);
        }
        return token.toString();
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A v1 session as GoTrue's sign-in writes it, with its password claim and first token; returns that token. */
    String signIn(UUID userId, UUID sessionId, Instant now, UUID oauthClientId, Instant notAfter) {
        String token = newToken();
        database.jdbi().useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO auth.sessions (id, user_id, created_at, updated_at, factor_id, aal, not_after,
                        refreshed_at, user_agent, ip, tag, oauth_client_id)
                    VALUES (:id, :user, :now, :now, NULL, 'aal1', :notAfter, NULL, 'gotrue-ua', '203.0.113.9', NULL, :client)
                    """)
                    .bind("id", sessionId).bind("user", userId).bind("now", at(now))
                    .bind("notAfter", notAfter == null ? null : at(notAfter)).bind("client", oauthClientId)
                    .execute();
            h.createUpdate("""
                    INSERT INTO auth.mfa_amr_claims (session_id, created_at, updated_at, authentication_method, id)
                    VALUES (:id, :now, :now, 'password', :claim)
                    """)
                    .bind("id", sessionId).bind("now", at(now)).bind("claim", UUID.randomUUID()).execute();
            insertToken(h, token, userId, false, now, null, sessionId);
        });
        return token;
    }

    void insertToken(String token, UUID userId, boolean revoked, Instant at, String parent, UUID sessionId) {
        database.jdbi().useHandle(h -> insertToken(h, token, userId, revoked, at, parent, sessionId));
    }

    private static void insertToken(Handle h, String token, UUID userId, boolean revoked, Instant at, String parent, UUID sessionId) {
        h.createUpdate("""
                INSERT INTO auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
                VALUES (CAST(:nil AS uuid), :token, :user, :revoked, :at, :at, :parent, :session)
                """)
                .bind("nil", NIL).bind("token", token).bind("user", userId.toString()).bind("revoked", revoked)
                .bind("at", at(at)).bind("parent", parent).bind("session", sessionId)
                .execute();
    }

    /** The session's token rows, oldest first: token, revoked, parent, updated_at. */
    List<Map<String, Object>> tokensOf(UUID sessionId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT token, revoked, parent, updated_at, instance_id::text AS instance_id, user_id FROM auth.refresh_tokens"
                                + " WHERE session_id = :id ORDER BY id")
                .bind("id", sessionId).mapToMap().list());
    }

    /**
     * One attempt of GoTrue's v1 refresh transaction for {@code token}: empty when a row was locked (GoTrue then
     * retries after 10-30 ms); else the token GoTrue answers with (the child it inserted, or, for a revoked token
     * that is the parent of the active one, that active token), or {@code "already_used"}.
     */
    Optional<String> refreshOnce(String token, Instant now) {
        return database.jdbi().inTransaction(h -> {
            Optional<Map<String, Object>> row = h.createQuery(
                            "SELECT * FROM auth.refresh_tokens WHERE token = :token LIMIT 1 FOR UPDATE SKIP LOCKED")
                    .bind("token", token).mapToMap().findOne();
            if (row.isEmpty()) {
                h.rollback();
                return Optional.empty();
            }
            UUID sessionId = (UUID) row.get().get("session_id");
            Optional<Map<String, Object>> session = h.createQuery(
                            "SELECT * FROM auth.sessions WHERE id = :id LIMIT 1 FOR UPDATE SKIP LOCKED")
                    .bind("id", sessionId).mapToMap().findOne();
            if (session.isEmpty()) {
                h.rollback();
                return Optional.empty();
            }
            if (Boolean.TRUE.equals(row.get().get("revoked"))) {
                Optional<Map<String, Object>> active = h.createQuery(
                                "SELECT * FROM auth.refresh_tokens WHERE session_id = :id AND revoked IS FALSE ORDER BY id DESC LIMIT 1")
                        .bind("id", sessionId).mapToMap().findOne();
                if (active.isPresent() && token.equals(active.get().get("parent"))) {
                    recordRefresh(h, sessionId, now);
                    return Optional.of((String) active.get().get("token"));
                }
                return Optional.of("already_used");
            }
            h.createUpdate("UPDATE auth.refresh_tokens SET revoked = true, updated_at = :now WHERE id = :id")
                    .bind("now", at(now)).bind("id", row.get().get("id")).execute();
            String child = newToken();
            insertToken(h, child, UUID.fromString((String) row.get().get("user_id")), false, now, token, sessionId);
            recordRefresh(h, sessionId, now);
            return Optional.of(child);
        });
    }

    private static void recordRefresh(Handle h, UUID sessionId, Instant now) {
        h.createUpdate("""
                UPDATE auth.sessions SET refreshed_at = :refreshedAt, user_agent = 'gotrue-ua', ip = '203.0.113.9',
                    updated_at = :now WHERE id = :id
                """)
                .bind("refreshedAt", at(now).toLocalDateTime()).bind("now", at(now)).bind("id", sessionId).execute();
    }

    /**
     * One attempt of GoTrue's v2 refresh transaction for a token of {@code sessionId} carrying {@code counter}: the
     * session row {@code FOR UPDATE SKIP LOCKED} (empty when locked), then, for the current counter, the counter
     * raised by one ({@code UpdateOnlyRefreshToken}) and the refresh recorded; for the previous counter (a reuse
     * GoTrue allows) the current token. Returns the token GoTrue answers with (plaintext HMAC keys only).
     */
    Optional<String> refreshV2Once(UUID sessionId, long counter, Instant now) {
        return database.jdbi().inTransaction(h -> {
            Optional<Map<String, Object>> session = h.createQuery(
                            "SELECT * FROM auth.sessions WHERE id = :id LIMIT 1 FOR UPDATE SKIP LOCKED")
                    .bind("id", sessionId).mapToMap().findOne();
            if (session.isEmpty()) {
                h.rollback();
                return Optional.empty();
            }
            long stored = ((Number) session.get().get("refresh_token_counter")).longValue();
            dev.authsessions.domain.HmacKey key =
                    dev.authsessions.domain.HmacKey.fromBase64Url((String) session.get().get("refresh_token_hmac_key"));
            long answered = stored;
            if (stored == counter) {
                answered = stored + 1;
                h.createUpdate("UPDATE auth.sessions SET refresh_token_counter = :c, updated_at = :now WHERE id = :id")
                        .bind("c", answered).bind("now", at(now)).bind("id", sessionId).execute();
            } else if (stored - counter != 1) {
                return Optional.of("already_used");
            }
            recordRefresh(h, sessionId, now);
            return Optional.of(dev.authsessions.domain.RefreshToken.encode(
                    new dev.authsessions.domain.SessionId(sessionId), answered, key));
        });
    }

    /** GoTrue's v2 retry loop: at most {@code attempts} tries, 10-30 ms apart. */
    String refreshV2(UUID sessionId, long counter, Instant now, int attempts) throws InterruptedException {
        for (int i = 0; i < attempts; i++) {
            Optional<String> answer = refreshV2Once(sessionId, counter, now);
            if (answer.isPresent()) {
                return answer.get();
            }
            Thread.sleep(10 + RANDOM.nextInt(20));
        }
        return "conflict";
    }

    /** GoTrue's retry loop: at most {@code attempts} tries, 10-30 ms apart. */
    String refresh(String token, Instant now, int attempts) throws InterruptedException {
        for (int i = 0; i < attempts; i++) {
            Optional<String> answer = refreshOnce(token, now);
            if (answer.isPresent()) {
                return answer.get();
            }
            Thread.sleep(10 + RANDOM.nextInt(20));
        }
        return "conflict";
    }

}
