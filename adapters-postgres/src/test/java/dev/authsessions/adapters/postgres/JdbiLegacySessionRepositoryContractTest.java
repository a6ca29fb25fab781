package dev.authsessions.adapters.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.authsessions.application.port.out.LegacySessionRepositoryContract;
import dev.authsessions.application.port.out.SessionRepositoryContract.Repositories;
import dev.authsessions.domain.IssuedLegacyToken;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The v1 repository contract against PostgreSQL, with the rows written as GoTrue writes them (a session
 * without key and counter, {@code refresh_tokens} with the nil {@code instance_id} and the user id as text),
 * and the HMAC key of an upgraded session encrypted at rest.
 */
class JdbiLegacySessionRepositoryContractTest extends LegacySessionRepositoryContract {
    private static final HmacKeyEncryption ENCRYPTION = HmacKeyEncryption.of(Optional.of("legacy-1"),
            Optional.of("bGVnYWN5LWtleS0xLWxlZ2FjeS1rZXktMS1sZWdhYzE"), Map.of());
    private static TestDatabase database;
    private static HikariDataSource pool;
    private static Jdbi jdbi;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
        pool = PostgresLifecycle.createPool(database.url(), 20, "legacy-" + database.name(), Duration.ofSeconds(30));
        jdbi = PostgresLifecycle.createJdbi(pool);
    }

    @AfterAll
    static void dropDatabase() {
        pool.close();
        database.close();
    }

    @Override
    protected Repositories createRepositories() {
        return new Repositories(new JdbiSessionRepository(jdbi, ENCRYPTION), new JdbiUserRepository(jdbi),
                new JdbiOAuthClientRepository(jdbi));
    }

    @Override
    protected void insertLegacySession(Session session) {
        jdbi.useHandle(h -> {
            h.createUpdate("""
                    INSERT INTO auth.sessions (id, user_id, created_at, updated_at, factor_id, aal, not_after,
                        refreshed_at, user_agent, ip, tag)
                    VALUES (:id, :userId, :createdAt, :createdAt, NULL, 'aal1', NULL, NULL, :userAgent, CAST(:ip AS inet), NULL)
                    """)
                    .bind("id", session.id().value())
                    .bind("userId", session.userId().value())
                    .bind("createdAt", Timestamps.toTimestamptz(session.createdAt()))
                    .bind("userAgent", session.userAgent())
                    .bind("ip", session.ip())
                    .execute();
            h.createUpdate("""
                    INSERT INTO auth.mfa_amr_claims (session_id, created_at, updated_at, authentication_method, id)
                    VALUES (:id, :at, :at, 'password', :claimId)
                    """)
                    .bind("id", session.id().value())
                    .bind("at", Timestamps.toTimestamptz(session.createdAt()))
                    .bind("claimId", UUID.randomUUID())
                    .execute();
        });
    }

    @Override
    protected void insertLegacyToken(String token, UserId user, boolean revoked, Instant at, String parent, SessionId session) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
                        VALUES ('00000000-0000-0000-0000-000000000000', :token, :userId, :revoked, :at, :at, :parent, :session)
                        """)
                .bind("token", token)
                .bind("userId", user.value().toString())
                .bind("revoked", revoked)
                .bind("at", Timestamps.toTimestamptz(at))
                .bind("parent", parent)
                .bind("session", session == null ? null : session.value())
                .execute());
    }

    @Override
    protected List<IssuedLegacyToken> legacyTokensOf(SessionId session) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + LegacyTokenRow.COLUMNS
                        + " FROM auth.refresh_tokens WHERE session_id = :session ORDER BY id")
                .bind("session", session.value())
                .map((rs, ctx) -> LegacyTokenRow.read(rs).toDomain())
                .list());
    }
}
