package dev.authsessions.adapters.postgres;

import static dev.authsessions.adapters.postgres.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.authsessions.application.port.out.SessionRepository.SessionContext;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbiSessionRepositoryTest {
    private static TestDatabase database;
    private static Jdbi jdbi;
    private static JdbiSessionRepository sessions;
    private static JdbiUserRepository users;
    private static JdbiOAuthClientRepository clients;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
        jdbi = database.jdbi();
        sessions = new JdbiSessionRepository(jdbi);
        users = new JdbiUserRepository(jdbi);
        clients = new JdbiOAuthClientRepository(jdbi);
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static User storedUser() {
        return users.upsert(Fixtures.user()).user();
    }

    private static Session storedSession(User user) {
        Session session = Fixtures.session(user.id());
        sessions.create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, session.createdAt()));
        return session;
    }

    private static OAuthClientId storedClient() {
        OAuthClientId id = new OAuthClientId(UUID.randomUUID());
        clients.upsert(new OAuthClient(id, "app", OAuthClient.Type.PUBLIC, null, T0, T0));
        return id;
    }

    @Test
    void createStoresTheFirstClaimAtTheClaimTime() {
        User user = storedUser();
        Session session = Fixtures.session(user.id());
        Instant claimedAt = T0.minusSeconds(5);
        sessions.create(session, Fixtures.claim(AuthenticationMethod.OTP, claimedAt));

        assertEquals(List.of(new AmrClaim(AuthenticationMethod.OTP, claimedAt)), sessions.claimsOf(session.id()));
        List<Instant> times = jdbi.withHandle(h -> h.createQuery(
                        "SELECT created_at FROM auth.mfa_amr_claims WHERE session_id = :id UNION ALL "
                                + "SELECT updated_at FROM auth.mfa_amr_claims WHERE session_id = :id")
                .bind("id", session.id().value())
                .mapTo(java.time.OffsetDateTime.class)
                .map(java.time.OffsetDateTime::toInstant)
                .list());
        assertEquals(List.of(claimedAt, claimedAt), times);
    }

    @Test
    void createWritesTheSessionAndItsClaimTogetherOrNotAtAll() {
        User user = storedUser();
        Session session = Fixtures.session(user.id());
        jdbi.useHandle(h -> h.execute("""
                CREATE FUNCTION pg_temp_fail() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'claim refused'; END $$;
                CREATE TRIGGER refuse_claims BEFORE INSERT ON auth.mfa_amr_claims
                    FOR EACH ROW EXECUTE FUNCTION pg_temp_fail();
                """));
        try {
            assertThrows(RuntimeException.class,
                    () -> sessions.create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, T0)));
        } finally {
            jdbi.useHandle(h -> h.execute(
                    "DROP TRIGGER refuse_claims ON auth.mfa_amr_claims; DROP FUNCTION pg_temp_fail()"));
        }
        assertEquals(Optional.empty(), sessions.findById(session.id()));
    }

    @Test
    void theHmacKeyIsStoredAsBase64UrlWithoutPadding() {
        Session session = storedSession(storedUser());
        String stored = jdbi.withHandle(h -> h.createQuery(
                        "SELECT refresh_token_hmac_key FROM auth.sessions WHERE id = :id")
                .bind("id", session.id().value()).mapTo(String.class).one());
        assertEquals(session.refreshTokenHmacKey().toBase64Url(), stored);
        assertTrue(stored.matches("[A-Za-z0-9_-]{43}"), stored);
    }

    @Test
    void theIpIsStoredAsInetAndReadAsAPlainAddress() {
        User user = storedUser();
        Session session = Fixtures.fullSession(user.id(), null);
        sessions.create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, T0));
        String type = jdbi.withHandle(h -> h.createQuery("SELECT pg_typeof(ip)::text FROM auth.sessions WHERE id = :id")
                .bind("id", session.id().value()).mapTo(String.class).one());
        assertEquals("inet", type);
        assertEquals("2001:db8::1", sessions.findById(session.id()).orElseThrow().ip());
    }

    @Test
    void loadForRefreshTellsWhetherTheUserHasAVerifiedFactor() {
        User user = storedUser();
        Session session = storedSession(user);
        assertFalse(sessions.loadForRefresh(session.id()).orElseThrow().user().hasVerifiedFactor());

        Fixtures.addFactor(jdbi, user.id(), "unverified");
        assertFalse(sessions.loadForRefresh(session.id()).orElseThrow().user().hasVerifiedFactor());

        Fixtures.addFactor(jdbi, user.id(), "verified");
        SessionContext context = sessions.loadForRefresh(session.id()).orElseThrow();
        assertTrue(context.user().hasVerifiedFactor());
        assertEquals(Aal.AAL2, context.user().highestPossibleAal());
    }

    @Test
    void loadForRefreshIsOneStatement() {
        Session session = storedSession(storedUser());
        AtomicInteger statements = new AtomicInteger();
        Jdbi counting = PostgresLifecycle.createJdbi(database.dataSource());
        counting.setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });

        Optional<SessionContext> context = new JdbiSessionRepository(counting).loadForRefresh(session.id());

        assertTrue(context.isPresent());
        assertEquals(1, statements.get());
    }

    @Test
    void anUnknownStoredAuthenticationMethodFailsLoudly() {
        Session session = storedSession(storedUser());
        Fixtures.addClaim(jdbi, session.id(), "carrier-pigeon", T0.plusSeconds(1));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sessions.loadForRefresh(session.id()));
        assertTrue(e.getMessage().contains("carrier-pigeon"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> sessions.claimsOf(session.id()));
    }

    @Test
    void recordReuseMovesTheRefreshTimeOnlyForward() {
        Session session = storedSession(storedUser());
        Instant later = T0.plusSeconds(50);

        sessions.recordReuse(session.id(), later, "ua/reuse", "192.0.2.9");
        Session afterReuse = sessions.findById(session.id()).orElseThrow();
        assertEquals(later, afterReuse.refreshedAt());
        assertEquals(later, afterReuse.updatedAt());
        assertEquals("ua/reuse", afterReuse.userAgent());
        assertEquals("192.0.2.9", afterReuse.ip());
        assertEquals(0, afterReuse.refreshTokenCounter());

        sessions.recordReuse(session.id(), T0.plusSeconds(10), "ua/late", "192.0.2.10");
        Session afterEarlierReuse = sessions.findById(session.id()).orElseThrow();
        assertEquals(later, afterEarlierReuse.refreshedAt());
        assertEquals(later, afterEarlierReuse.updatedAt());
        assertEquals("ua/late", afterEarlierReuse.userAgent());
    }

    @Test
    void refreshedAtIsUtcWhateverTheJvmAndSessionTimeZones() {
        Session session = storedSession(storedUser());
        Instant refreshedAt = Instant.parse("2026-07-04T23:30:00.654321Z");
        TimeZone previous = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(1);
        config.setConnectionInitSql("SET TimeZone TO 'America/New_York'");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Jdbi newYork = PostgresLifecycle.createJdbi(pool);
            assertEquals("America/New_York", newYork.withHandle(h -> h.createQuery("SHOW TimeZone").mapTo(String.class).one()));
            JdbiSessionRepository repository = new JdbiSessionRepository(newYork);

            Session updated = repository.compareAndSetCounter(session.id(), 0, 1, refreshedAt, "ua", null).orElseThrow();
            assertEquals(refreshedAt, updated.refreshedAt());
            assertEquals(refreshedAt, repository.findById(session.id()).orElseThrow().refreshedAt());
            assertEquals(refreshedAt, repository.loadForRefresh(session.id()).orElseThrow().session().refreshedAt());
            String storedText = newYork.withHandle(h -> h.createQuery(
                            "SELECT refreshed_at::text FROM auth.sessions WHERE id = :id")
                    .bind("id", session.id().value()).mapTo(String.class).one());
            assertEquals("2026-07-04 23:30:00.654321", storedText);

            repository.recordReuse(session.id(), refreshedAt.plusSeconds(1), "ua", null);
            assertEquals(refreshedAt.plusSeconds(1), repository.findById(session.id()).orElseThrow().refreshedAt());
            assertEquals(List.of(new AmrClaim(AuthenticationMethod.PASSWORD, T0)), repository.claimsOf(session.id()));
        } finally {
            TimeZone.setDefault(previous);
        }
        // And read back through an ordinary (UTC) connection.
        assertEquals(LocalDateTime.ofInstant(refreshedAt.plusSeconds(1), ZoneOffset.UTC),
                jdbi.withHandle(h -> h.createQuery("SELECT refreshed_at FROM auth.sessions WHERE id = :id")
                        .bind("id", session.id().value()).mapTo(LocalDateTime.class).one()));
    }

    @Test
    void deleteRemovesOneSessionWithItsClaimsAndRefreshTokens() {
        Session session = storedSession(storedUser());
        jdbi.useHandle(h -> h.createUpdate(
                        "INSERT INTO auth.refresh_tokens (token, user_id, revoked, session_id) VALUES ('abcdefghijkl', 'u', false, :id)")
                .bind("id", session.id().value()).execute());

        assertTrue(sessions.delete(session.id()));
        assertFalse(sessions.delete(session.id()));

        assertEquals(Optional.empty(), sessions.findById(session.id()));
        assertEquals(0, Fixtures.count(jdbi,
                "SELECT count(*) FROM auth.mfa_amr_claims WHERE session_id = '" + session.id() + "'"));
        assertEquals(0, Fixtures.count(jdbi,
                "SELECT count(*) FROM auth.refresh_tokens WHERE session_id = '" + session.id() + "'"));
    }

    @Test
    void scopesOverTheLimitAreRejectedByTheDomainAndTheLimitItselfIsStored() {
        assertThrows(IllegalArgumentException.class, () -> new Scopes("s".repeat(Scopes.MAX_LENGTH + 1)));

        // 4096 characters that are 8192 UTF-16 units: the database counts characters too.
        String longest = "\uD83D\uDE00".repeat(Scopes.MAX_LENGTH);
        User user = storedUser();
        Session base = Fixtures.fullSession(user.id(), storedClient());
        Session session = new Session(base.id(), base.userId(), base.createdAt(), base.updatedAt(), base.factorId(),
                base.aal(), base.notAfter(), base.refreshedAt(), base.userAgent(), base.ip(), base.tag(),
                base.oauthClientId(), base.refreshTokenHmacKey(), base.refreshTokenCounter(), new Scopes(longest));
        sessions.create(session, Fixtures.claim(AuthenticationMethod.OAUTH, T0));
        assertEquals(longest, sessions.findById(session.id()).orElseThrow().scopes().value());
    }
}
