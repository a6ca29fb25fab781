package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.authsessions.application.port.in.CleanUpSessionsUseCase.Result;
import dev.authsessions.application.port.out.SessionCleanup.Expiry;
import dev.authsessions.application.fakes.RecordingSessionEvents;
import dev.authsessions.application.service.CleanUpSessionsService;
import dev.authsessions.application.service.CleanupSettings;
import dev.authsessions.application.service.SessionSettings;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.SessionPolicy;
import dev.authsessions.domain.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The clean-up SQL on real PostgreSQL, driven by the real service: exact rows per reason, the grace
 * period to the millisecond, batches, locked rows skipped rather than waited for, and 100 000 expired
 * sessions deleted while live ones keep being refreshed.
 */
class JdbiSessionCleanupTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static final Duration GRACE = Duration.ofHours(24);
    private static final Duration TIMEBOX = Duration.ofDays(7);
    private static final Duration INACTIVITY = Duration.ofHours(8);
    private static final Duration MS = Duration.ofMillis(1);
    private static final SessionPolicy ALL_RULES = new SessionPolicy(Optional.of(TIMEBOX), Optional.of(INACTIVITY), Optional.empty());
    /** 32 zero bytes, base64url. */
    private static final String KEY = "A".repeat(43);

    private TestDatabase database;
    private Jdbi jdbi;
    private JdbiSessionRepository sessions;
    private User user;

    @BeforeEach
    void createDatabase() {
        database = TestDatabases.fresh();
        jdbi = database.jdbi();
        sessions = new JdbiSessionRepository(jdbi);
        user = new JdbiUserRepository(jdbi).upsert(Fixtures.user()).user();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    private static CleanUpSessionsService service(Jdbi on, SessionPolicy policy, int batchSize) {
        SessionSettings settings = new SessionSettings(Duration.ofHours(1), RefreshTokenRules.DEFAULTS, policy, false, List.of());
        return new CleanUpSessionsService(new JdbiSessionCleanup(on), settings, new CleanupSettings(GRACE, batchSize),
                Clock.fixed(NOW, ZoneOffset.UTC), new RecordingSessionEvents());
    }

    private Session stored(Instant createdAt, Instant notAfter, Instant refreshedAt) {
        Session session = new Session(new SessionId(UUID.randomUUID()), user.id(), createdAt, createdAt, null, Aal.AAL1, notAfter,
                refreshedAt, "ua", "192.0.2.1", null, null, Fixtures.key(), 0, null);
        sessions.create(session, new AmrClaim(AuthenticationMethod.PASSWORD, createdAt));
        return session;
    }

    private Set<SessionId> remaining() {
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT id FROM auth.sessions").mapTo(UUID.class).list())
                .stream().map(SessionId::new).toList());
    }

    /** A pool whose sessions run in a far-off time zone, which must not shift a UTC {@code refreshed_at}. */
    private HikariDataSource pool(String initSql) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(4);
        config.setConnectionInitSql(initSql);
        return new HikariDataSource(config);
    }

    @Test
    void eachReasonDeletesExactlyTheSessionsPastItsLimitByMoreThanTheGracePeriod() {
        Instant ancient = NOW.minus(Duration.ofDays(300));
        Instant notAfterLimit = NOW.minus(GRACE);
        Instant timeboxLimit = NOW.minus(GRACE).minus(TIMEBOX);
        Instant inactivityLimit = NOW.minus(GRACE).minus(INACTIVITY);
        Instant recent = NOW.minus(Duration.ofHours(1));
        List<Session> kept = new ArrayList<>();
        // not_after: one millisecond past the limit goes; at the limit and a millisecond inside stay.
        stored(recent, notAfterLimit.minus(MS), recent);
        kept.add(stored(recent, notAfterLimit, recent));
        kept.add(stored(recent, notAfterLimit.plus(MS), recent));
        // The timebox, counted from created_at (refreshed recently, so not inactive).
        stored(timeboxLimit.minus(MS), null, recent);
        kept.add(stored(timeboxLimit, null, recent));
        kept.add(stored(timeboxLimit.plus(MS), null, recent));
        // Inactivity, counted from refreshed_at (a UTC timestamp without time zone) ...
        stored(ancient.plus(Duration.ofDays(299)), null, inactivityLimit.minus(MS));
        kept.add(stored(ancient.plus(Duration.ofDays(299)), null, inactivityLimit));
        kept.add(stored(ancient.plus(Duration.ofDays(299)), null, inactivityLimit.plus(MS)));
        // ... or from created_at when never refreshed.
        stored(inactivityLimit.minus(MS), null, null);
        kept.add(stored(inactivityLimit, null, null));

        Result result;
        try (HikariDataSource chatham = pool("SET TimeZone TO 'Pacific/Chatham'")) {
            result = service(PostgresLifecycle.createJdbi(chatham), ALL_RULES, 1000).cleanUp();
        }

        assertEquals(new Result(1, 1, 2), result);
        assertEquals(kept.stream().map(Session::id).collect(Collectors.toSet()), remaining());
        assertEquals(0L, Fixtures.count(jdbi,
                "SELECT count(*) FROM auth.mfa_amr_claims c WHERE NOT EXISTS (SELECT 1 FROM auth.sessions s WHERE s.id = c.session_id)"));
    }

    @Test
    void rulesThatAreOffKeepTheirSessions() {
        Instant ancient = NOW.minus(Duration.ofDays(300));
        stored(ancient, null, null);
        stored(ancient, null, ancient);

        assertEquals(new Result(0, 0, 0), service(jdbi, SessionPolicy.NONE, 1000).cleanUp());
        assertEquals(2, remaining().size());
    }

    @Test
    void batchesDeleteEverythingExpiredAtMostABatchAtATime() {
        for (int i = 0; i < 10; i++) {
            stored(NOW.minus(Duration.ofDays(3)), NOW.minus(GRACE).minusSeconds(1 + i), null);
        }
        Session live = stored(NOW.minus(Duration.ofDays(3)), NOW.plusSeconds(60), null);
        JdbiSessionCleanup cleanup = new JdbiSessionCleanup(jdbi);

        assertEquals(3, cleanup.deleteBatch(Expiry.NOT_AFTER, NOW.minus(GRACE), 3));
        assertEquals(8, remaining().size());
        assertEquals(new Result(7, 0, 0), service(jdbi, SessionPolicy.NONE, 3).cleanUp());
        assertEquals(Set.of(live.id()), remaining());
    }

    @Test
    void rowsLockedByAnotherTransactionAreSkippedNotWaitedFor() throws Exception {
        List<Session> expired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expired.add(stored(NOW.minus(Duration.ofDays(3)), NOW.minus(GRACE).minusSeconds(60), null));
        }
        try (Connection holder = database.openConnection();
                HikariDataSource impatient = pool("SET lock_timeout TO '1s'")) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM auth.sessions WHERE id = ANY (?) FOR UPDATE")) {
                lock.setArray(1, holder.createArrayOf("uuid", new Object[] {expired.get(0).id().value(), expired.get(1).id().value()}));
                lock.executeQuery().close();
            }

            // Waiting for the two locked rows would hit the lock timeout and fail the pass.
            Result whileLocked = service(PostgresLifecycle.createJdbi(impatient), SessionPolicy.NONE, 2).cleanUp();

            assertEquals(new Result(3, 0, 0), whileLocked);
            assertEquals(Set.of(expired.get(0).id(), expired.get(1).id()), remaining());
            holder.commit();
        }
        assertEquals(new Result(2, 0, 0), service(jdbi, SessionPolicy.NONE, 2).cleanUp());
        assertEquals(Set.of(), remaining());
    }

    @Test
    void anOpenCleanUpBatchDoesNotLockTheLiveSessionsARefreshUpdates() throws Exception {
        stored(NOW.minus(Duration.ofDays(3)), NOW.minus(GRACE).minusSeconds(60), null);
        Session live = stored(NOW.minus(Duration.ofDays(3)), null, null);
        try (Connection batch = database.openConnection();
                HikariDataSource impatient = pool("SET lock_timeout TO '1s'")) {
            batch.setAutoCommit(false);
            try (PreparedStatement delete = batch.prepareStatement(
                    JdbiSessionCleanup.DELETE_PAST_NOT_AFTER.replace(":cutoff", "?").replace(":batch", "?"))) {
                delete.setObject(1, NOW.minus(GRACE).atOffset(ZoneOffset.UTC));
                delete.setInt(2, 1000);
                assertEquals(1, delete.executeUpdate());
            }

            // The batch is still open; a refresh of a live session neither waits for it nor fails.
            JdbiSessionRepository refreshing = new JdbiSessionRepository(PostgresLifecycle.createJdbi(impatient));
            assertTrue(refreshing.compareAndSetCounter(live.id(), 0, 1, NOW, "ua", null).isPresent());
            batch.rollback();
        }
        assertEquals(2, remaining().size());
    }

    @Test
    void aHundredThousandExpiredSessionsGoWhileAHundredThousandLiveOnesKeepRefreshing() throws Exception {
        Instant expiredAt = NOW.minus(GRACE).minus(Duration.ofHours(1));
        // Seeding 200 000 rows is set-up, not a request: no per-statement timeout (a loaded machine may need more than 5 s).
        PostgresLifecycle.createJdbi(database.dataSource(), Duration.ofHours(1)).useHandle(h -> {
            h.execute("""
                    INSERT INTO auth.users (id, aud, role, created_at, updated_at)
                    SELECT gen_random_uuid(), 'authenticated', 'authenticated', now(), now() FROM generate_series(1, 1000)
                    """);
            // Expired and live sessions interleaved through the table, each with one AMR claim.
            h.createUpdate("""
                    WITH u AS (SELECT array_agg(id) AS ids FROM auth.users)
                    INSERT INTO auth.sessions (id, user_id, created_at, updated_at, aal, not_after, refresh_token_hmac_key,
                        refresh_token_counter)
                    SELECT gen_random_uuid(), u.ids[1 + g % 1000], :created, :created, 'aal1',
                           CASE WHEN g % 2 = 0 THEN :expiredAt END, :key, 0
                      FROM generate_series(1, 200000) g, u
                    """)
                    .bind("created", NOW.minus(Duration.ofDays(10)).atOffset(ZoneOffset.UTC))
                    .bind("expiredAt", expiredAt.atOffset(ZoneOffset.UTC))
                    .bind("key", KEY)
                    .execute();
            h.execute("""
                    INSERT INTO auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
                    SELECT gen_random_uuid(), id, created_at, created_at, 'password' FROM auth.sessions
                    """);
            h.execute("ANALYZE auth.sessions");
            h.execute("ANALYZE auth.mfa_amr_claims");
        });
        List<UUID> live = jdbi.withHandle(h -> h.createQuery(
                "SELECT id FROM auth.sessions WHERE not_after IS NULL ORDER BY id LIMIT 2000").mapTo(UUID.class).list());
        assertEquals(200_000L, Fixtures.count(jdbi, "SELECT count(*) FROM auth.sessions"));

        AtomicBoolean cleaning = new AtomicBoolean(true);
        AtomicInteger refreshed = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        CountDownLatch warmedUp = new CountDownLatch(50);
        ExecutorService refresher = Executors.newSingleThreadExecutor();
        Future<?> refreshing = refresher.submit(() -> {
            long[] counters = new long[live.size()];
            JdbiSessionRepository repository = new JdbiSessionRepository(jdbi);
            for (int i = 0; cleaning.get(); i++) {
                int n = i % live.size();
                Optional<Session> next = repository.compareAndSetCounter(new SessionId(live.get(n)), counters[n], counters[n] + 1,
                        NOW, "ua", null);
                if (next.isEmpty()) {
                    failures.add(live.get(n) + " at " + counters[n]);
                } else {
                    counters[n]++;
                    refreshed.incrementAndGet();
                }
                warmedUp.countDown();
            }
        });
        Result result;
        try {
            assertTrue(warmedUp.await(60, TimeUnit.SECONDS), "the refresher never got going");
            int before = refreshed.get();
            result = service(jdbi, SessionPolicy.NONE, 1000).cleanUp();
            int during = refreshed.get() - before;
            cleaning.set(false);
            refreshing.get(60, TimeUnit.SECONDS);
            assertTrue(during > 0, "no refresh completed while the clean-up ran");
        } finally {
            cleaning.set(false);
            refresher.shutdownNow();
        }

        assertEquals(new Result(100_000, 0, 0), result);
        assertEquals(List.of(), failures);
        assertEquals(100_000L, Fixtures.count(jdbi, "SELECT count(*) FROM auth.sessions"));
        assertEquals(0L, Fixtures.count(jdbi, "SELECT count(*) FROM auth.sessions WHERE not_after IS NOT NULL"));
        assertEquals(100_000L, Fixtures.count(jdbi, "SELECT count(*) FROM auth.mfa_amr_claims"));
        assertEquals((long) refreshed.get(), Fixtures.count(jdbi, "SELECT coalesce(sum(refresh_token_counter), 0) FROM auth.sessions"));
    }
}
