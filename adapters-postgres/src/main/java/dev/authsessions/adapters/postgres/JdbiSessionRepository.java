package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.MfaFactorRepository.Registration;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.IssuedLegacyToken;
import dev.authsessions.domain.LegacyRefreshDecision;
import dev.authsessions.domain.LegacyRefreshToken;
import dev.authsessions.domain.LegacyTokenFamily;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link SessionRepository} on {@code auth.sessions} and {@code auth.mfa_amr_claims}. The refresh
 * path is two statements: {@link #loadForRefresh} (one query) and {@link #compareAndSetCounter}
 * (one autocommit UPDATE guarded by the expected counter, no explicit lock). A step-up is one short
 * transaction; it only ever raises the counter, so a compare-and-set from an older counter fails after it.
 * HMAC keys are stored as {@link HmacKeyEncryption} says; a successful compare-and-set also re-encrypts a
 * key found in plaintext or under an older key id (one more statement, only on that session's first
 * refresh after the key changed).
 *
 * <p>Legacy (v1) tokens live in {@code auth.refresh_tokens}. A v1 refresh reads the token's family without a
 * lock and lets the domain decide; the two cases concurrent refreshes of one token meet need no session lock:
 * a live token is swapped by a compare-and-set on its row ({@code … WHERE revoked = false}, in one short
 * transaction with the child and the session's refresh), and a token already swapped gets the active token
 * back (settled, one UPDATE of the refresh time). Every other case runs in one short transaction that first
 * locks the session row ({@code FOR NO KEY UPDATE}, so foreign-key checks of new token rows are not blocked)
 * and decides again under it. GoTrue takes its locks with {@code SKIP LOCKED} (token, then session) and never
 * waits, so it cannot close a cycle; a wait beyond the connection's lock timeout is a conflict.
 */
public final class JdbiSessionRepository implements SessionRepository {
    private static final String INSERT_SESSION = """
            INSERT INTO auth.sessions (id, user_id, created_at, updated_at, factor_id, aal, not_after, refreshed_at,
                user_agent, ip, tag, oauth_client_id, refresh_token_hmac_key, refresh_token_counter, scopes)
            VALUES (:id, :userId, :createdAt, :updatedAt, :factorId, CAST(:aal AS auth.aal_level), :notAfter,
                :refreshedAt, :userAgent, CAST(:ip AS inet), :tag, :oauthClientId, :refreshTokenHmacKey,
                :refreshTokenCounter, :scopes)
            """;
    private static final String INSERT_CLAIM = """
            INSERT INTO auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
            VALUES (:id, :sessionId, :at, :at, :method)
            """;
    private static final String FIND_BY_ID =
            "SELECT " + SessionRow.columns("s") + " FROM auth.sessions s WHERE s.id = :id";
    // Package-private for BenchStatementsTest: bench/sql/service-statements.sql must send the same read.
    static final String LOAD_FOR_REFRESH = "SELECT " + SessionRow.columns("s") + ", "
            + UserRow.columns("u", "u_") + ", " + AmrClaimRow.jsonArrayOf("s.id") + " AS claims"
            + " FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id"
            + " WHERE s.id = :id AND u.deleted_at IS NULL";
    private static final String COMPARE_AND_SET_COUNTER = """
            UPDATE auth.sessions
               SET refresh_token_counter = :next, refreshed_at = :refreshedAt, updated_at = :now,
                   user_agent = :userAgent, ip = CAST(:ip AS inet)
             WHERE id = :id AND refresh_token_counter = :expected
            RETURNING\s""" + SessionRow.RETURNING_COLUMNS;
    // Concurrent reuses may commit out of order; the refresh time only ever moves forward.
    private static final String RECORD_REUSE = """
            UPDATE auth.sessions
               SET refreshed_at = GREATEST(COALESCE(refreshed_at, :refreshedAt), :refreshedAt),
                   updated_at = GREATEST(COALESCE(updated_at, :now), :now),
                   user_agent = :userAgent, ip = CAST(:ip AS inet)
             WHERE id = :id
            """;
    // Only replaces the value that was read, so concurrent re-encryptions of one key settle on one of them.
    private static final String REWRITE_KEY = """
            UPDATE auth.sessions SET refresh_token_hmac_key = :sealed
             WHERE id = :id AND refresh_token_hmac_key = :stored
            """;
    private static final String CLAIMS_OF = """
            SELECT authentication_method, updated_at FROM auth.mfa_amr_claims
             WHERE session_id = :id ORDER BY updated_at DESC, authentication_method
            """;

    // Found through the user_id indexes (the planner may sort a user's few rows rather than scan
    // user_id_created_at_idx backwards); id breaks ties between equal creation times.
    private static final String LIST_OF_USER = "SELECT " + SessionRow.columns("s")
            + " FROM auth.sessions s WHERE s.user_id = :userId ORDER BY s.created_at DESC, s.id DESC";
    // Step-ups of one user queue on the user's row, inside their transaction only (FOR NO KEY UPDATE does
    // not block the foreign-key checks of new sessions). Without it two step-ups of one user's aal1
    // sessions would each delete the other's session and deadlock.
    private static final String LOCK_USER_OF_SESSION = """
            SELECT u.id FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id
             WHERE s.id = :id AND u.deleted_at IS NULL
               FOR NO KEY UPDATE OF u
            """;
    private static final String DELETE_OTHERS_BELOW_AAL2 = """
            DELETE FROM auth.sessions
             WHERE user_id = :userId AND id <> :keep AND COALESCE(aal, 'aal1') < 'aal2'
            """;
    private static final String STEP_UP_SESSION = """
            UPDATE auth.sessions
               SET aal = 'aal2', factor_id = :factorId, refresh_token_counter = COALESCE(refresh_token_counter + 2, 0),
                   refresh_token_hmac_key = :key, refreshed_at = :refreshedAt, updated_at = :now
             WHERE id = :id
            """;
    private static final String UPSERT_CLAIM = """
            INSERT INTO auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
            VALUES (:id, :sessionId, :now, :now, :method)
            ON CONFLICT (session_id, authentication_method) DO UPDATE SET updated_at = :now
            """;

    private static final String NIL_INSTANCE = "00000000-0000-0000-0000-000000000000";
    /** Rounds of the lock-free v1 path before the session lock is taken (each lost round means a winner committed). */
    private static final int LEGACY_ROUNDS = 3;
    private static final String FIND_LEGACY_TOKEN =
            "SELECT " + LegacyTokenRow.COLUMNS + " FROM auth.refresh_tokens WHERE token = :token";
    private static final String FIND_LIVE_USER =
            "SELECT " + UserRow.columns("u", "u_") + " FROM auth.users u WHERE u.id = :id AND u.deleted_at IS NULL";
    // Whether the session is on v2 (GoTrue: both the key and the counter set).
    private static final String SESSION_STATE = "SELECT refresh_token_hmac_key IS NOT NULL AND refresh_token_counter IS NOT NULL"
            + " FROM auth.sessions WHERE id = :id";
    private static final String LOCK_SESSION_STATE = SESSION_STATE + " FOR NO KEY UPDATE";
    // The presented token of this session (p), GoTrue's "currently active" token (a: the last created, by the
    // serial id, that is not revoked) and the newest token of any kind (n), in one round trip.
    private static final String LEGACY_FAMILY = "(SELECT 'p' AS kind, " + LegacyTokenRow.COLUMNS
            + " FROM auth.refresh_tokens WHERE token = :token AND session_id = :sessionId)"
            + " UNION ALL (SELECT 'a', " + LegacyTokenRow.COLUMNS
            + " FROM auth.refresh_tokens WHERE session_id = :sessionId AND revoked IS FALSE ORDER BY id DESC LIMIT 1)"
            + " UNION ALL (SELECT 'n', " + LegacyTokenRow.COLUMNS
            + " FROM auth.refresh_tokens WHERE session_id = :sessionId ORDER BY id DESC LIMIT 1)";
    private static final String REVOKE_LEGACY_TOKEN =
            "UPDATE auth.refresh_tokens SET revoked = true, updated_at = :now WHERE id = :id";
    private static final String REVOKE_LIVE_LEGACY_TOKEN =
            "UPDATE auth.refresh_tokens SET revoked = true, updated_at = :now WHERE id = :id AND revoked = false";
    private static final String REVOKE_LEGACY_FAMILY = """
            UPDATE auth.refresh_tokens SET revoked = true, updated_at = :now
             WHERE session_id = :sessionId AND revoked = false
            """;
    private static final String INSERT_LEGACY_TOKEN = """
            INSERT INTO auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
            VALUES (CAST(:instance AS uuid), :token, (SELECT user_id::text FROM auth.sessions WHERE id = :sessionId),
                    :revoked, :now, :now, :parent, :sessionId)
            """;
    private static final String DELETE_LEGACY_TOKENS_OF_SESSION = "DELETE FROM auth.refresh_tokens WHERE session_id = :id";
    private static final String RECORD_LEGACY_REFRESH = """
            UPDATE auth.sessions
               SET refreshed_at = :refreshedAt, updated_at = :now, user_agent = :userAgent, ip = CAST(:ip AS inet)
             WHERE id = :id
            RETURNING\s""" + SessionRow.RETURNING_COLUMNS;
    // GoTrue's move to v2: a session without v2 data gets the new key and counter 0, one with it counter + 1.
    private static final String UPGRADE_SESSION = """
            UPDATE auth.sessions
               SET refresh_token_counter = CASE WHEN refresh_token_hmac_key IS NULL OR refresh_token_counter IS NULL
                                                THEN 0 ELSE refresh_token_counter + 1 END,
                   refresh_token_hmac_key = CASE WHEN refresh_token_hmac_key IS NULL OR refresh_token_counter IS NULL
                                                 THEN :key ELSE refresh_token_hmac_key END,
                   refreshed_at = :refreshedAt, updated_at = :now, user_agent = :userAgent, ip = CAST(:ip AS inet)
             WHERE id = :id
            RETURNING\s""" + SessionRow.RETURNING_COLUMNS;

    private final StorageAccess db;
    private final HmacKeyEncryption encryption;

    /** Keys in plaintext. */
    public JdbiSessionRepository(Jdbi jdbi) {
        this(jdbi, HmacKeyEncryption.none());
    }

    @Inject
    public JdbiSessionRepository(Jdbi jdbi, HmacKeyEncryption encryption) {
        this.db = new StorageAccess(jdbi);
        this.encryption = encryption;
    }

    @Override
    public void create(Session session, AmrClaim firstClaim) {
        SessionRow row = SessionRow.from(session, encryption);
        AmrClaimRow claim = AmrClaimRow.from(firstClaim);
        db.inTransaction(handle -> {
            row.bindTo(handle.createUpdate(INSERT_SESSION)).execute();
            handle.createUpdate(INSERT_CLAIM)
                    .bind("id", UUID.randomUUID())
                    .bind("sessionId", row.id())
                    .bind("at", Timestamps.toTimestamptz(claim.updatedAt()))
                    .bind("method", claim.authenticationMethod())
                    .execute();
            return null;
        });
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        return db.withHandle(handle -> handle.createQuery(FIND_BY_ID)
                        .bind("id", id.value())
                        .map((rs, ctx) -> SessionRow.read(rs))
                        .findOne())
                .map(row -> row.toDomain(encryption));
    }

    @Override
    public Optional<SessionContext> loadForRefresh(SessionId id) {
        return db.withHandle(handle -> readContext(handle, id));
    }

    @Override
    public Optional<Session> compareAndSetCounter(
            SessionId id, long expectedCounter, long nextCounter, Instant now, String userAgent, String ip) {
        return db.withHandle(handle -> {
            Optional<SessionRow> updated = handle.createQuery(COMPARE_AND_SET_COUNTER)
                    .bind("id", id.value())
                    .bind("expected", expectedCounter)
                    .bind("next", nextCounter)
                    .bind("refreshedAt", Timestamps.toUtcTimestamp(now))
                    .bind("now", Timestamps.toTimestamptz(now))
                    .bind("userAgent", userAgent)
                    .bind("ip", ip)
                    .map((rs, ctx) -> SessionRow.read(rs))
                    .findOne();
            if (updated.isEmpty()) {
                return Optional.empty();
            }
            Session session = updated.get().toDomain(encryption);
            String stored = updated.get().refreshTokenHmacKey();
            if (encryption.needsRewrite(id.value(), stored)) {
                handle.createUpdate(REWRITE_KEY)
                        .bind("id", id.value())
                        .bind("stored", stored)
                        .bind("sealed", encryption.seal(id.value(), session.refreshTokenHmacKey()))
                        .execute();
            }
            return Optional.of(session);
        });
    }

    @Override
    public void recordReuse(SessionId id, Instant now, String userAgent, String ip) {
        db.withHandle(handle -> handle.createUpdate(RECORD_REUSE)
                .bind("id", id.value())
                .bind("refreshedAt", Timestamps.toUtcTimestamp(now))
                .bind("now", Timestamps.toTimestamptz(now))
                .bind("userAgent", userAgent)
                .bind("ip", ip)
                .execute());
    }

    @Override
    public boolean delete(SessionId id) {
        return db.withHandle(handle -> handle.createUpdate("DELETE FROM auth.sessions WHERE id = :id")
                .bind("id", id.value())
                .execute()) > 0;
    }

    @Override
    public int deleteAllOfUser(UserId userId) {
        return db.withHandle(handle -> handle.createUpdate("DELETE FROM auth.sessions WHERE user_id = :userId")
                .bind("userId", userId.value())
                .execute());
    }

    @Override
    public int deleteOthersOfUser(UserId userId, SessionId keep) {
        return db.withHandle(handle -> handle
                .createUpdate("DELETE FROM auth.sessions WHERE user_id = :userId AND id <> :keep")
                .bind("userId", userId.value())
                .bind("keep", keep.value())
                .execute());
    }

    @Override
    public List<AmrClaim> claimsOf(SessionId id) {
        List<AmrClaimRow> rows = db.withHandle(handle -> handle.createQuery(CLAIMS_OF)
                .bind("id", id.value())
                .map((rs, ctx) -> AmrClaimRow.read(rs))
                .list());
        return AmrClaim.newestFirst(rows.stream().map(AmrClaimRow::toDomain).toList());
    }

    @Override
    public List<Session> listOfUser(UserId userId) {
        List<SessionRow> rows = db.withHandle(handle -> handle.createQuery(LIST_OF_USER)
                .bind("userId", userId.value())
                .map((rs, ctx) -> SessionRow.read(rs))
                .list());
        return rows.stream().map(row -> row.toDomain(encryption)).toList();
    }

    @Override
    public Optional<SessionContext> stepUp(
            SessionId id, FactorId factorId, AuthenticationMethod method, HmacKey newKey, Instant now) {
        FactorType type = FactorType.ofMethod(method)
                .orElseThrow(() -> new IllegalArgumentException(method.value() + " is not a second factor"));
        return db.inTransaction(handle -> {
            Optional<UUID> userId = handle.createQuery(LOCK_USER_OF_SESSION)
                    .bind("id", id.value())
                    .mapTo(UUID.class)
                    .findOne();
            if (userId.isEmpty()) {
                return Optional.empty();
            }
            if (JdbiMfaFactorRepository.register(handle, factorId, new UserId(userId.get()), type, now)
                    == Registration.CONFLICT) {
                handle.rollback();
                return Optional.empty();
            }
            handle.createUpdate(DELETE_OTHERS_BELOW_AAL2)
                    .bind("userId", userId.get())
                    .bind("keep", id.value())
                    .execute();
            // The session row is locked from here to the commit: a racing compare-and-set either
            // committed before (and the step-up adds 2 to its counter) or re-reads the raised counter and fails.
            int stepped = handle.createUpdate(STEP_UP_SESSION)
                    .bind("id", id.value())
                    .bind("factorId", factorId.value())
                    .bind("key", encryption.seal(id.value(), newKey))
                    .bind("refreshedAt", Timestamps.toUtcTimestamp(now))
                    .bind("now", Timestamps.toTimestamptz(now))
                    .execute();
            if (stepped == 0) {
                // Deleted after the user was locked (e.g. by a step-up of another of the user's sessions).
                handle.rollback();
                return Optional.empty();
            }
            // No v1 token issued before the step-up may refresh the stepped-up session (SPEC §3).
            handle.createUpdate(DELETE_LEGACY_TOKENS_OF_SESSION).bind("id", id.value()).execute();
            handle.createUpdate(UPSERT_CLAIM)
                    .bind("id", UUID.randomUUID())
                    .bind("sessionId", id.value())
                    .bind("now", Timestamps.toTimestamptz(now))
                    .bind("method", method.value())
                    .execute();
            return readContext(handle, id);
        });
    }

    @Override
    public Optional<LegacyTokenContext> loadForLegacyRefresh(LegacyRefreshToken token) {
        return db.withHandle(handle -> {
            Optional<LegacyTokenRow> row = handle.createQuery(FIND_LEGACY_TOKEN)
                    .bind("token", token.value())
                    .map((rs, ctx) -> LegacyTokenRow.read(rs))
                    .findOne();
            if (row.isEmpty()) {
                return Optional.empty();
            }
            Optional<SessionContext> session = row.get().sessionId() == null
                    ? Optional.empty()
                    : readContext(handle, new SessionId(row.get().sessionId()));
            if (session.isPresent()) {
                return Optional.of(new LegacyTokenContext(row.get().toDomain(), session.get().user(), session));
            }
            return row.get().userUuid()
                    .flatMap(userId -> handle.createQuery(FIND_LIVE_USER)
                            .bind("id", userId)
                            .map((rs, ctx) -> UserRow.read(rs, "u_").toDomain())
                            .findOne())
                    .map(user -> new LegacyTokenContext(row.get().toDomain(), user, Optional.empty()));
        });
    }

    @Override
    public void deleteLegacyToken(IssuedLegacyToken token) {
        db.withHandle(handle -> handle.createUpdate("DELETE FROM auth.refresh_tokens WHERE id = :id")
                .bind("id", token.id())
                .execute());
    }

    @Override
    public Optional<LegacyRefreshResult> refreshLegacy(LegacyRefresh refresh) {
        UUID sessionId = refresh.sessionId().value();
        for (int round = 0; round < LEGACY_ROUNDS; round++) {
            // Read without a lock first: the two answers concurrent refreshes of one token give need none.
            Optional<LegacyTokenFamily> seen = db.withHandle(handle -> readLegacyFamily(handle, refresh, false));
            if (seen.isEmpty()) {
                return Optional.empty();
            }
            LegacyTokenFamily family = seen.get();
            LegacyRefreshDecision decision = refresh.rules().decideLegacy(family, refresh.now());
            if (decision instanceof LegacyRefreshDecision.ReturnActive returnActive) {
                // Settled: once the token was swapped, its parent gets the active token whatever else holds.
                return db.withHandle(handle -> recordLegacyRefresh(handle, RECORD_LEGACY_REFRESH, refresh, null))
                        .map(updated -> new LegacyRefreshResult(returnActive, updated, returnActive.active().token(), false));
            }
            if (!family.presented().revoked()) {
                // The hot path: compare-and-set on the token row. Concurrent refreshes wait only for the winner's
                // commit on that row, then all see it revoked and take the settled answer in the next round.
                Optional<Optional<LegacyRefreshResult>> swapped = db.inTransaction(handle -> swapLiveToken(handle, refresh, family));
                if (swapped.isPresent()) {
                    return swapped.get();
                }
                continue;
            }
            break;
        }
        return db.inTransaction(handle -> refreshUnderSessionLock(handle, refresh));
    }

    /** The swap of a token that was live when read; empty when another refresh revoked it first. */
    private Optional<Optional<LegacyRefreshResult>> swapLiveToken(Handle handle, LegacyRefresh refresh, LegacyTokenFamily family) {
        UUID sessionId = refresh.sessionId().value();
        int revoked = handle.createUpdate(REVOKE_LIVE_LEGACY_TOKEN)
                .bind("id", family.presented().id())
                .bind("now", Timestamps.toTimestamptz(refresh.now()))
                .execute();
        if (revoked == 0) {
            return Optional.empty();
        }
        boolean upgrade = refresh.upgradeKey().isPresent();
        insertChild(handle, refresh, family.presented(), upgrade);
        Optional<Session> updated = upgrade
                ? recordLegacyRefresh(handle, UPGRADE_SESSION, refresh, encryption.seal(sessionId, refresh.upgradeKey().get()))
                : recordLegacyRefresh(handle, RECORD_LEGACY_REFRESH, refresh, null);
        if (updated.isEmpty()) {
            handle.rollback();
            return Optional.of(Optional.empty());
        }
        return Optional.of(Optional.of(new LegacyRefreshResult(new LegacyRefreshDecision.Swap(), updated.get(),
                upgrade ? updated.get().currentRefreshToken() : refresh.child().value(), upgrade)));
    }

    /** Every other case (a revoked token: a late reuse, a sibling inside the interval, a session on v2). */
    private Optional<LegacyRefreshResult> refreshUnderSessionLock(Handle handle, LegacyRefresh refresh) {
        UUID sessionId = refresh.sessionId().value();
        Optional<LegacyTokenFamily> read = readLegacyFamily(handle, refresh, true);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        LegacyTokenFamily family = read.get();
        LegacyRefreshDecision decision = refresh.rules().decideLegacy(family, refresh.now());
        if (decision instanceof LegacyRefreshDecision.Rejected rejected) {
            if (rejected.revokeFamily()) {
                handle.createUpdate(REVOKE_LEGACY_FAMILY)
                        .bind("sessionId", sessionId)
                        .bind("now", Timestamps.toTimestamptz(refresh.now()))
                        .execute();
            }
            Session session = handle.createQuery(FIND_BY_ID).bind("id", sessionId)
                    .map((rs, ctx) -> SessionRow.read(rs)).one().toDomain(encryption);
            return Optional.of(new LegacyRefreshResult(decision, session, null, false));
        }
        if (decision instanceof LegacyRefreshDecision.ReturnActive returnActive) {
            return recordLegacyRefresh(handle, RECORD_LEGACY_REFRESH, refresh, null)
                    .map(updated -> new LegacyRefreshResult(decision, updated, returnActive.active().token(), false));
        }
        if (decision instanceof LegacyRefreshDecision.ReturnCurrentV2) {
            return recordLegacyRefresh(handle, RECORD_LEGACY_REFRESH, refresh, null)
                    .map(updated -> new LegacyRefreshResult(decision, updated, updated.currentRefreshToken(), true));
        }
        boolean upgrade = refresh.upgradeKey().isPresent();
        handle.createUpdate(REVOKE_LEGACY_TOKEN)
                .bind("id", family.presented().id())
                .bind("now", Timestamps.toTimestamptz(refresh.now()))
                .execute();
        insertChild(handle, refresh, family.presented(), upgrade);
        return (upgrade
                ? recordLegacyRefresh(handle, UPGRADE_SESSION, refresh, encryption.seal(sessionId, refresh.upgradeKey().get()))
                : recordLegacyRefresh(handle, RECORD_LEGACY_REFRESH, refresh, null))
                .map(updated -> new LegacyRefreshResult(decision, updated,
                        upgrade ? updated.currentRefreshToken() : refresh.child().value(), upgrade));
    }

    /** On an upgrade GoTrue writes the child and then marks it revoked: the v1 family ends there. */
    private static void insertChild(Handle handle, LegacyRefresh refresh, IssuedLegacyToken parent, boolean revoked) {
        handle.createUpdate(INSERT_LEGACY_TOKEN)
                .bind("instance", NIL_INSTANCE)
                .bind("token", refresh.child().value())
                .bind("revoked", revoked)
                .bind("now", Timestamps.toTimestamptz(refresh.now()))
                .bind("parent", parent.token())
                .bind("sessionId", refresh.sessionId().value())
                .execute();
    }

    /**
     * The presented token (of this session), the session's active and newest tokens, and whether the session is on
     * v2, in one statement; with {@code lockSession} the session row is locked first ({@code FOR NO KEY UPDATE}).
     * Empty when the session or the token is gone.
     */
    private Optional<LegacyTokenFamily> readLegacyFamily(Handle handle, LegacyRefresh refresh, boolean lockSession) {
        UUID sessionId = refresh.sessionId().value();
        Optional<Boolean> onV2 = handle.createQuery(lockSession ? LOCK_SESSION_STATE : SESSION_STATE)
                .bind("id", sessionId)
                .mapTo(Boolean.class)
                .findOne();
        if (onV2.isEmpty()) {
            return Optional.empty();
        }
        List<Map.Entry<String, IssuedLegacyToken>> rows = handle.createQuery(LEGACY_FAMILY)
                .bind("sessionId", sessionId)
                .bind("token", refresh.presented().value())
                .map((rs, ctx) -> Map.entry(rs.getString("kind"), LegacyTokenRow.read(rs).toDomain()))
                .list();
        Optional<IssuedLegacyToken> presented = kind(rows, "p");
        if (presented.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LegacyTokenFamily(presented.get(), kind(rows, "a"), kind(rows, "n"), onV2.get()));
    }

    private static Optional<IssuedLegacyToken> kind(List<Map.Entry<String, IssuedLegacyToken>> rows, String kind) {
        return rows.stream().filter(e -> e.getKey().equals(kind)).map(Map.Entry::getValue).findFirst();
    }

    private Optional<Session> recordLegacyRefresh(Handle handle, String sql, LegacyRefresh refresh, String sealedKey) {
        var update = handle.createQuery(sql)
                .bind("id", refresh.sessionId().value())
                .bind("refreshedAt", Timestamps.toUtcTimestamp(refresh.now()))
                .bind("now", Timestamps.toTimestamptz(refresh.now()))
                .bind("userAgent", refresh.userAgent())
                .bind("ip", refresh.ip());
        if (sealedKey != null) {
            update.bind("key", sealedKey);
        }
        return update.map((rs, ctx) -> SessionRow.read(rs)).findOne().map(row -> row.toDomain(encryption));
    }

    private Optional<SessionContext> readContext(Handle handle, SessionId id) {
        return handle.createQuery(LOAD_FOR_REFRESH)
                .bind("id", id.value())
                .map((rs, ctx) -> new SessionContext(
                        SessionRow.read(rs).toDomain(encryption),
                        UserRow.read(rs, "u_").toDomain(),
                        AmrClaimRow.fromJsonArray(rs.getString("claims")).stream().map(AmrClaimRow::toDomain).toList()))
                .findOne();
    }
}
