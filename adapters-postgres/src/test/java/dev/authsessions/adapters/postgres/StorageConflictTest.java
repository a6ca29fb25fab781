package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import dev.authsessions.application.port.out.StorageConflictException;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A row held by another transaction makes the refresh path give up after the lock timeout, as a conflict. */
class StorageConflictTest {
    private static TestDatabase database;
    private static HikariDataSource pool;
    private static Jdbi jdbi;

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh();
        pool = PostgresLifecycle.createPool(database.url(), 2, "conflict-test");
        jdbi = PostgresLifecycle.createJdbi(pool);
    }

    @AfterAll
    static void stop() {
        pool.close();
        database.close();
    }

    @Test
    void everyPooledConnectionHasTheLockTimeout() {
        // pg_settings reports lock_timeout in milliseconds.
        assertEquals(String.valueOf(PostgresLifecycle.LOCK_TIMEOUT_MILLIS), jdbi.withHandle(h -> h.createQuery(
                "SELECT setting FROM pg_settings WHERE name = 'lock_timeout'").mapTo(String.class).one()));
    }

    @Test
    void aLockedSessionRowIsAConflictAfterTheLockTimeoutNotAWaitWithoutEnd() throws Exception {
        JdbiUserRepository users = new JdbiUserRepository(jdbi);
        JdbiSessionRepository sessions = new JdbiSessionRepository(jdbi);
        User user = Fixtures.user();
        users.upsert(user);
        Session session = Fixtures.session(user.id());
        sessions.create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, Fixtures.T0));

        try (Connection holder = database.openConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM auth.sessions WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, session.id().value());
                lock.executeQuery();
            }
            assertThrows(StorageConflictException.class, () -> sessions.compareAndSetCounter(
                    session.id(), 0, 1, Fixtures.T0.plusSeconds(1), "ua", "192.0.2.1"));
            holder.rollback();
        }
        assertEquals(1L, sessions.compareAndSetCounter(session.id(), 0, 1, Fixtures.T0.plusSeconds(1), "ua", "192.0.2.1")
                .orElseThrow().refreshTokenCounter(), "once the lock is released the same change goes through");
    }
}
