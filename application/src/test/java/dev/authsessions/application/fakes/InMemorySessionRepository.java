package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.StorageConstraintException;
import dev.authsessions.application.port.out.StorageConstraintException.Violation;
import dev.authsessions.application.port.out.MfaFactorRepository.Registration;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.IssuedLegacyToken;
import dev.authsessions.domain.LegacyRefreshDecision;
import dev.authsessions.domain.LegacyRefreshToken;
import dev.authsessions.domain.LegacyTokenFamily;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * {@code auth.sessions} and {@code auth.mfa_amr_claims} in memory. Each row changes atomically
 * through {@link ConcurrentHashMap#compute}, so {@link #compareAndSetCounter} is a true
 * compare-and-set. It enforces the foreign keys (user, OAuth client) and receives the cascades
 * of deleting a user or a client. A step-up runs under the users' lock (with the factor rows) and
 * changes its session row in one {@code compute}, so it is atomic against a concurrent compare-and-set.
 * {@code auth.refresh_tokens} (v1 tokens) is a list under one lock, which every v1 refresh holds throughout
 * (the JDBI adapter's session row lock, coarser).
 */
public final class InMemorySessionRepository implements SessionRepository {
    private record Row(Session session, List<AmrClaim> claims) {
    }

    private final Map<SessionId, Row> rows = new ConcurrentHashMap<>();
    private final InMemoryUserRepository users;
    private volatile Predicate<OAuthClientId> clientExists = id -> false;

    public InMemorySessionRepository(InMemoryUserRepository users) {
        this.users = users;
        users.addCascade(this::deleteAllOfUser);
    }

    @Override
    public void create(Session session, AmrClaim firstClaim) {
        if (session.oauthClientId() != null && !clientExists.test(session.oauthClientId())) {
            throw new StorageConstraintException(Violation.OAUTH_CLIENT_GONE, "sessions_oauth_client_id_fkey");
        }
        users.insertReferencing(session.userId(), "sessions_user_id_fkey", () -> {
            if (rows.putIfAbsent(session.id(), new Row(session, List.of(firstClaim))) != null) {
                throw new StorageConstraintException(Violation.DUPLICATE, "sessions_pkey");
            }
        });
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        return Optional.ofNullable(rows.get(id)).map(Row::session);
    }

    @Override
    public Optional<SessionContext> loadForRefresh(SessionId id) {
        Row row = rows.get(id);
        if (row == null) {
            return Optional.empty();
        }
        Optional<User> user = users.findById(row.session().userId());
        return user.map(u -> new SessionContext(row.session(), u, row.claims()));
    }

    @Override
    public Optional<Session> compareAndSetCounter(
            SessionId id, long expectedCounter, long nextCounter, Instant now, String userAgent, String ip) {
        AtomicReference<Session> updated = new AtomicReference<>();
        rows.computeIfPresent(id, (key, row) -> {
            Session s = row.session();
            if (s.refreshTokenCounter() != expectedCounter) {
                return row;
            }
            Session next = new Session(s.id(), s.userId(), s.createdAt(), now, s.factorId(), s.aal(), s.notAfter(),
                    now, userAgent, ip, s.tag(), s.oauthClientId(), s.refreshTokenHmacKey(), nextCounter, s.scopes());
            updated.set(next);
            return new Row(next, row.claims());
        });
        return Optional.ofNullable(updated.get());
    }

    @Override
    public void recordReuse(SessionId id, Instant now, String userAgent, String ip) {
        rows.computeIfPresent(id, (key, row) -> {
            Session s = row.session();
            Instant refreshedAt = s.refreshedAt() != null && s.refreshedAt().isAfter(now) ? s.refreshedAt() : now;
            Instant updatedAt = s.updatedAt().isAfter(now) ? s.updatedAt() : now;
            Session next = new Session(s.id(), s.userId(), s.createdAt(), updatedAt, s.factorId(), s.aal(),
                    s.notAfter(), refreshedAt, userAgent, ip, s.tag(), s.oauthClientId(), s.refreshTokenHmacKey(),
                    s.refreshTokenCounter(), s.scopes());
            return new Row(next, row.claims());
        });
    }

    @Override
    public boolean delete(SessionId id) {
        return rows.remove(id) != null;
    }

    @Override
    public int deleteAllOfUser(UserId userId) {
        return deleteWhere(s -> s.userId().equals(userId));
    }

    @Override
    public int deleteOthersOfUser(UserId userId, SessionId keep) {
        return deleteWhere(s -> s.userId().equals(userId) && !s.id().equals(keep));
    }

    @Override
    public List<AmrClaim> claimsOf(SessionId id) {
        Row row = rows.get(id);
        return row == null ? List.of() : AmrClaim.newestFirst(row.claims());
    }

    @Override
    public List<Session> listOfUser(UserId userId) {
        return rows.values().stream().map(Row::session).filter(s -> s.userId().equals(userId))
                .sorted(Comparator.comparing(Session::createdAt)
                        .thenComparing(s -> s.id().value().toString()).reversed())
                .toList();
    }

    @Override
    public Optional<SessionContext> stepUp(
            SessionId id, FactorId factorId, AuthenticationMethod method, HmacKey newKey, Instant now) {
        FactorType type = FactorType.ofMethod(method)
                .orElseThrow(() -> new IllegalArgumentException(method.value() + " is not a second factor"));
        return users.locked(() -> {
            Row current = rows.get(id);
            if (current == null) {
                return Optional.empty();
            }
            UserId userId = current.session().userId();
            if (users.findById(userId).isEmpty()) {
                return Optional.empty();
            }
            Optional<MfaFactor> factor = users.factor(factorId);
            if (factor.isPresent() && (!factor.get().userId().equals(userId) || factor.get().type() != type)) {
                return Optional.empty();
            }
            AtomicReference<Row> updated = new AtomicReference<>();
            rows.computeIfPresent(id, (key, row) -> {
                Session s = row.session();
                Session next = new Session(s.id(), s.userId(), s.createdAt(), now, factorId, Aal.AAL2, s.notAfter(),
                        now, s.userAgent(), s.ip(), s.tag(), s.oauthClientId(), newKey,
                        s.isLegacy() ? 0 : Math.addExact(s.refreshTokenCounter(), 2), s.scopes());
                List<AmrClaim> claims = new ArrayList<>(row.claims());
                claims.removeIf(c -> c.method() == method);
                claims.add(new AmrClaim(method, now));
                Row result = new Row(next, List.copyOf(claims));
                updated.set(result);
                return result;
            });
            if (updated.get() == null) {
                return Optional.empty();
            }
            if (users.registerFactor(factorId, userId, type, now) == Registration.CONFLICT) {
                throw new IllegalStateException("the factor was checked under the same lock");
            }
            deleteWhere(s -> s.userId().equals(userId) && !s.id().equals(id) && s.aal().isBelow(Aal.AAL2));
            synchronized (legacyLock) {
                legacyRows.removeIf(r -> id.equals(r.sessionId()));
            }
            Row row = updated.get();
            return Optional.of(new SessionContext(row.session(), users.findById(userId).orElseThrow(), row.claims()));
        });
    }

    /** A row of {@code auth.refresh_tokens}; {@code sessionId} may be null (tokens older than sessions). */
    private record LegacyRow(long id, String token, UserId userId, boolean revoked, Instant createdAt, Instant updatedAt,
            String parent, SessionId sessionId) {
        IssuedLegacyToken toDomain() {
            return new IssuedLegacyToken(id, token, revoked, updatedAt, parent);
        }

        LegacyRow revokedAt(Instant now) {
            return new LegacyRow(id, token, userId, true, createdAt, now, parent, sessionId);
        }
    }

    private final Object legacyLock = new Object();
    private final List<LegacyRow> legacyRows = new ArrayList<>();
    private long legacyIds;

    /**
     * Stores a v1 token row as GoTrue writes it (a test's way in: this service never starts v1 sessions).
     * {@code session} may be null. The session, when given, must exist; rows of a deleted session vanish
     * with it, as the table's cascade does.
     */
    public void insertLegacyToken(String token, UserId userId, boolean revoked, Instant at, String parent, SessionId session) {
        synchronized (legacyLock) {
            if (legacyRows.stream().anyMatch(r -> r.token().equals(token))) {
                throw new IllegalStateException("unique violation: refresh_tokens_token_unique");
            }
            if (session != null && !rows.containsKey(session)) {
                throw new IllegalStateException("foreign key violation: no session " + session);
            }
            legacyRows.add(new LegacyRow(++legacyIds, token, userId, revoked, at, at, parent, session));
        }
    }

    /** Stores a legacy session (no HMAC key, no counter) with its first claim, as GoTrue's v1 sign-in does. */
    public void insertLegacySession(Session session, AmrClaim firstClaim) {
        if (!session.isLegacy()) {
            throw new IllegalArgumentException("not a legacy session");
        }
        users.insertReferencing(session.userId(), "sessions_user_id_fkey", () -> {
            if (rows.putIfAbsent(session.id(), new Row(session, List.of(firstClaim))) != null) {
                throw new IllegalStateException("primary key violation: session " + session.id() + " exists");
            }
        });
    }

    /** The v1 token rows of a session, oldest first, as {@link IssuedLegacyToken}s. */
    public List<IssuedLegacyToken> legacyTokensOf(SessionId session) {
        synchronized (legacyLock) {
            return liveLegacyRows().stream().filter(r -> session.equals(r.sessionId())).map(LegacyRow::toDomain).toList();
        }
    }

    /** The rows whose session still exists (a deleted session took its rows with it). */
    private List<LegacyRow> liveLegacyRows() {
        legacyRows.removeIf(r -> r.sessionId() != null && !rows.containsKey(r.sessionId()));
        return legacyRows;
    }

    @Override
    public Optional<LegacyTokenContext> loadForLegacyRefresh(LegacyRefreshToken token) {
        LegacyRow row;
        synchronized (legacyLock) {
            row = liveLegacyRows().stream().filter(r -> r.token().equals(token.value())).findFirst().orElse(null);
        }
        if (row == null) {
            return Optional.empty();
        }
        Optional<SessionContext> session = row.sessionId() == null ? Optional.empty() : loadForRefresh(row.sessionId());
        if (session.isPresent()) {
            return Optional.of(new LegacyTokenContext(row.toDomain(), session.get().user(), session));
        }
        return users.findById(row.userId()).map(user -> new LegacyTokenContext(row.toDomain(), user, Optional.empty()));
    }

    @Override
    public void deleteLegacyToken(IssuedLegacyToken token) {
        synchronized (legacyLock) {
            legacyRows.removeIf(r -> r.id() == token.id());
        }
    }

    @Override
    public Optional<LegacyRefreshResult> refreshLegacy(LegacyRefresh refresh) {
        synchronized (legacyLock) {
            List<LegacyRow> live = liveLegacyRows();
            Row sessionRow = rows.get(refresh.sessionId());
            Optional<LegacyRow> presented = live.stream()
                    .filter(r -> r.token().equals(refresh.presented().value()) && refresh.sessionId().equals(r.sessionId()))
                    .findFirst();
            if (sessionRow == null || presented.isEmpty()) {
                return Optional.empty();
            }
            List<LegacyRow> family = live.stream().filter(r -> refresh.sessionId().equals(r.sessionId())).toList();
            Optional<IssuedLegacyToken> active = family.stream().filter(r -> !r.revoked())
                    .max(Comparator.comparingLong(LegacyRow::id)).map(LegacyRow::toDomain);
            Optional<IssuedLegacyToken> newest = family.stream()
                    .max(Comparator.comparingLong(LegacyRow::id)).map(LegacyRow::toDomain);
            Session session = sessionRow.session();
            LegacyRefreshDecision decision = refresh.rules().decideLegacy(
                    new LegacyTokenFamily(presented.get().toDomain(), active, newest, !session.isLegacy()), refresh.now());
            if (decision instanceof LegacyRefreshDecision.Rejected rejected) {
                if (rejected.revokeFamily()) {
                    live.replaceAll(r -> refresh.sessionId().equals(r.sessionId()) && !r.revoked() ? r.revokedAt(refresh.now()) : r);
                }
                return Optional.of(new LegacyRefreshResult(decision, session, null, false));
            }
            if (decision instanceof LegacyRefreshDecision.ReturnActive returnActive) {
                return Optional.of(new LegacyRefreshResult(decision, recordRefresh(refresh, null, false),
                        returnActive.active().token(), false));
            }
            if (decision instanceof LegacyRefreshDecision.ReturnCurrentV2) {
                Session updated = recordRefresh(refresh, null, false);
                return Optional.of(new LegacyRefreshResult(decision, updated, updated.currentRefreshToken(), true));
            }
            boolean upgrade = refresh.upgradeKey().isPresent();
            live.replaceAll(r -> r.id() == presented.get().id() ? r.revokedAt(refresh.now()) : r);
            live.add(new LegacyRow(++legacyIds, refresh.child().value(), session.userId(), upgrade, refresh.now(),
                    refresh.now(), presented.get().token(), refresh.sessionId()));
            if (!upgrade) {
                return Optional.of(new LegacyRefreshResult(decision, recordRefresh(refresh, null, false),
                        refresh.child().value(), false));
            }
            Session updated = recordRefresh(refresh, refresh.upgradeKey().get(), true);
            return Optional.of(new LegacyRefreshResult(decision, updated, updated.currentRefreshToken(), true));
        }
    }

    /** The refresh time, user agent and IP of a v1 refresh; with {@code upgrade}, the move to v2 as well. */
    private Session recordRefresh(LegacyRefresh refresh, HmacKey upgradeKey, boolean upgrade) {
        Row result = rows.computeIfPresent(refresh.sessionId(), (key, row) -> {
            Session s = row.session();
            HmacKey hmacKey = upgrade && s.isLegacy() ? upgradeKey : s.refreshTokenHmacKey();
            long counter = !upgrade ? s.refreshTokenCounter() : s.isLegacy() ? 0 : Math.addExact(s.refreshTokenCounter(), 1);
            Session next = new Session(s.id(), s.userId(), s.createdAt(), refresh.now(), s.factorId(), s.aal(), s.notAfter(),
                    refresh.now(), refresh.userAgent(), refresh.ip(), s.tag(), s.oauthClientId(), hmacKey, counter, s.scopes());
            return new Row(next, row.claims());
        });
        return result.session();
    }

    /**
     * Adds or replaces (per method, as the table's unique key says) one AMR claim of an existing
     * session; the port writes only the first claim.
     */
    public void addClaim(SessionId id, AmrClaim claim) {
        Row result = rows.computeIfPresent(id, (key, row) -> {
            List<AmrClaim> claims = new ArrayList<>(row.claims());
            claims.removeIf(c -> c.method() == claim.method());
            claims.add(claim);
            return new Row(row.session(), List.copyOf(claims));
        });
        if (result == null) {
            throw new IllegalStateException("foreign key violation: no session " + id);
        }
    }

    /** Every stored session of the user, in no particular order (a test's view of the table). */
    public List<Session> sessionsOf(UserId userId) {
        return rows.values().stream().map(Row::session).filter(s -> s.userId().equals(userId)).toList();
    }

    public int size() {
        return rows.size();
    }

    /** The session side of removing a factor: its sessions back to aal1 without it, and without its method's claims. */
    int downgradeFactor(UserId userId, FactorId factorId, AuthenticationMethod method, Instant now) {
        int downgraded = 0;
        for (SessionId key : rows.keySet()) {
            boolean[] changed = {false};
            rows.computeIfPresent(key, (k, row) -> {
                Session s = row.session();
                if (!s.userId().equals(userId) || !factorId.equals(s.factorId())) {
                    return row;
                }
                changed[0] = true;
                Session next = new Session(s.id(), s.userId(), s.createdAt(), now, null, Aal.AAL1, s.notAfter(),
                        s.refreshedAt(), s.userAgent(), s.ip(), s.tag(), s.oauthClientId(), s.refreshTokenHmacKey(),
                        s.refreshTokenCounter(), s.scopes());
                return new Row(next, row.claims().stream().filter(c -> c.method() != method).toList());
            });
            if (changed[0]) {
                downgraded++;
            }
        }
        return downgraded;
    }

    /** The cascade of deleting an OAuth client. */
    int deleteAllOfClient(OAuthClientId clientId) {
        return deleteWhere(s -> clientId.equals(s.oauthClientId()));
    }

    /** The foreign key to {@code auth.oauth_clients}; set by the client repository. */
    void referenceClients(Predicate<OAuthClientId> exists) {
        this.clientExists = exists;
    }

    /** Every stored session, in no particular order. */
    List<Session> allSessions() {
        return rows.values().stream().map(Row::session).toList();
    }

    /** As {@link #deleteWhere}, stopping after {@code limit} rows (a clean-up batch). */
    int deleteWhere(Predicate<Session> condition, int limit) {
        int deleted = 0;
        for (SessionId key : rows.keySet()) {
            if (deleted >= limit) {
                break;
            }
            boolean[] removed = {false};
            rows.computeIfPresent(key, (k, row) -> {
                if (condition.test(row.session())) {
                    removed[0] = true;
                    return null;
                }
                return row;
            });
            if (removed[0]) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Tests and removes each row atomically, so a concurrent update cannot save a row from deletion. */
    private int deleteWhere(Predicate<Session> condition) {
        return deleteWhere(condition, Integer.MAX_VALUE);
    }
}
