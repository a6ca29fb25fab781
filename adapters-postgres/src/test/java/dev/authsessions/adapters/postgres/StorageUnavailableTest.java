package dev.authsessions.adapters.postgres;

import static dev.authsessions.adapters.postgres.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.authsessions.application.port.out.StorageUnavailableException;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Every repository method reports an unreachable database as {@link StorageUnavailableException}. */
class StorageUnavailableTest {
    /** The shortest wait Hikari allows, so that fifteen failing calls stay quick. */
    private static final Duration FAST = Duration.ofMillis(250);

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Each repository method, by name, against {@code jdbi}. */
    private static Map<String, Executable> everyRepositoryMethod(Jdbi jdbi) {
        JdbiSessionRepository sessions = new JdbiSessionRepository(jdbi);
        JdbiUserRepository users = new JdbiUserRepository(jdbi);
        JdbiOAuthClientRepository clients = new JdbiOAuthClientRepository(jdbi);
        User user = Fixtures.user();
        Session session = Fixtures.session(user.id());
        SessionId id = session.id();
        OAuthClient client = new OAuthClient(new OAuthClientId(UUID.randomUUID()), "c", OAuthClient.Type.PUBLIC, null, T0, T0);
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("sessions.create", () -> sessions.create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, T0)));
        calls.put("sessions.findById", () -> sessions.findById(id));
        calls.put("sessions.loadForRefresh", () -> sessions.loadForRefresh(id));
        calls.put("sessions.compareAndSetCounter", () -> sessions.compareAndSetCounter(id, 0, 1, T0, "ua", null));
        calls.put("sessions.recordReuse", () -> sessions.recordReuse(id, T0, "ua", null));
        calls.put("sessions.delete", () -> sessions.delete(id));
        calls.put("sessions.deleteAllOfUser", () -> sessions.deleteAllOfUser(user.id()));
        calls.put("sessions.deleteOthersOfUser", () -> sessions.deleteOthersOfUser(user.id(), id));
        calls.put("sessions.claimsOf", () -> sessions.claimsOf(id));
        calls.put("users.findById", () -> users.findById(user.id()));
        calls.put("users.upsert", () -> users.upsert(user));
        calls.put("users.delete", () -> users.delete(user.id()));
        calls.put("clients.findById", () -> clients.findById(client.id()));
        calls.put("clients.upsert", () -> clients.upsert(client));
        calls.put("clients.delete", () -> clients.delete(client.id()));
        return calls;
    }

    private static void assertAllUnavailable(Jdbi jdbi) {
        everyRepositoryMethod(jdbi).forEach((name, call) ->
                assertThrows(StorageUnavailableException.class, call, name));
    }

    /** The refresh path and an admin write; {@link #everyMethodReportsARefusedConnection} covers the rest. */
    private static void assertSomeUnavailable(Jdbi jdbi) {
        Map<String, Executable> calls = everyRepositoryMethod(jdbi);
        for (String name : List.of("sessions.loadForRefresh", "sessions.compareAndSetCounter", "users.upsert")) {
            assertThrows(StorageUnavailableException.class, calls.get(name), name);
        }
    }

    @Test
    void everyMethodReportsARefusedConnection() throws IOException {
        PGSimpleDataSource unpooled = new PGSimpleDataSource();
        unpooled.setURL("jdbc:postgresql://127.0.0.1:" + closedPort() + "/postgres");
        unpooled.setUser("postgres");
        assertAllUnavailable(PostgresLifecycle.createJdbi(unpooled));
    }

    @Test
    void aPoolPointingAtAClosedPortFailsFastAsUnavailable() throws IOException {
        DatabaseUrl url = DatabaseUrl.parse("postgres://postgres@127.0.0.1:" + closedPort() + "/postgres");
        try (HikariDataSource pool = PostgresLifecycle.createPool(url, 1, "closed-port", FAST)) {
            assertSomeUnavailable(PostgresLifecycle.createJdbi(pool));
        }
    }

    @Test
    void startingOnAnUnreachableDatabaseFailsAsUnavailable() throws IOException {
        PostgresSettings settings = new PostgresSettings(
                Optional.of("postgres://postgres:pw@127.0.0.1:" + closedPort() + "/postgres"), Path.of("unused"), 1);
        StorageUnavailableException e =
                assertThrows(StorageUnavailableException.class, () -> PostgresLifecycle.start(settings, FAST));
        assertFalse(e.getMessage().contains("pw"));
    }

    @Test
    void aDatabaseThatGoesAwayIsUnavailableAndComesBack() {
        try (TestDatabase database = TestDatabases.fresh();
                HikariDataSource pool = PostgresLifecycle.createPool(database.url(), 2, "going-away", FAST)) {
            Jdbi jdbi = PostgresLifecycle.createJdbi(pool);
            JdbiUserRepository users = new JdbiUserRepository(jdbi);
            User user = Fixtures.user();
            users.upsert(user);

            database.refuseConnections();
            assertSomeUnavailable(jdbi);

            database.acceptConnections();
            // The pool reconnects by itself; it may take a few attempts while its connection creator backs off.
            Optional<User> found = Optional.empty();
            for (int attempt = 0; attempt < 40 && found.isEmpty(); attempt++) {
                try {
                    found = users.findById(user.id());
                } catch (StorageUnavailableException stillReconnecting) {
                    // try again
                }
            }
            assertEquals(Optional.of(user), found);
        }
    }

    @Test
    void aStoppedServerIsUnavailable(@TempDir Path dataDir) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir);
        PostgresLifecycle lifecycle = PostgresLifecycle.start(
                new PostgresSettings(Optional.of(server.databaseUrl()), dataDir, 2), FAST);
        try {
            JdbiUserRepository users = new JdbiUserRepository(lifecycle.jdbi());
            users.upsert(Fixtures.user());
            assertTrue(lifecycle.isReachable());

            server.close();

            assertFalse(lifecycle.isReachable());
            assertSomeUnavailable(lifecycle.jdbi());
        } finally {
            lifecycle.close();
        }
    }

    @Test
    void aStatementBlockedPastTheQueryTimeoutIsCancelledAndReportedAsTimedOut() throws SQLException {
        try (TestDatabase database = TestDatabases.fresh()) {
            Jdbi jdbi = PostgresLifecycle.createJdbi(database.dataSource(), Duration.ofSeconds(1));
            JdbiSessionRepository sessions = new JdbiSessionRepository(jdbi);
            User user = new JdbiUserRepository(jdbi).upsert(Fixtures.user()).user();
            Session session = Fixtures.session(user.id());
            sessions.create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, T0));
            try (java.sql.Connection locker = database.openConnection()) {
                locker.setAutoCommit(false);
                try (java.sql.Statement lock = locker.createStatement()) {
                    lock.execute("SELECT 1 FROM auth.sessions WHERE id = '" + session.id() + "' FOR UPDATE");
                }

                StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                        () -> sessions.compareAndSetCounter(session.id(), 0, 1, T0, "ua", null));

                assertTrue(e.timedOut());
                locker.rollback();
            }
            assertTrue(sessions.compareAndSetCounter(session.id(), 0, 1, T0, "ua", null).isPresent(), "nothing was changed");
        }
    }

    @Test
    void aRefusedConnectionIsUnavailableButNotTimedOut() throws IOException {
        PGSimpleDataSource unpooled = new PGSimpleDataSource();
        unpooled.setURL("jdbc:postgresql://127.0.0.1:" + closedPort() + "/postgres");
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> new JdbiUserRepository(PostgresLifecycle.createJdbi(unpooled)).findById(Fixtures.user().id()));
        assertFalse(e.timedOut());
    }

    @Test
    void otherDatabaseErrorsAreNotDisguisedAsUnavailable() {
        try (TestDatabase database = TestDatabases.fresh()) {
            JdbiSessionRepository sessions = new JdbiSessionRepository(database.jdbi());
            Session orphan = Fixtures.session(Fixtures.user().id());
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> sessions.create(orphan, Fixtures.claim(AuthenticationMethod.PASSWORD, T0)));
            assertFalse(e instanceof StorageUnavailableException, e.toString());
        }
    }

    @Test
    void connectionSqlStatesAreRecognisedAnywhereInTheCauseChain() {
        assertTrue(StorageAccess.isConnectionFailure(wrapped(new PSQLException("gone", PSQLState.CONNECTION_FAILURE))));
        assertTrue(StorageAccess.isConnectionFailure(wrapped(new SQLException("shutdown", "57P01"))));
        assertTrue(StorageAccess.isConnectionFailure(wrapped(new SQLException("crash", "57P02"))));
        assertTrue(StorageAccess.isConnectionFailure(wrapped(new SQLException("starting", "57P03"))));
        assertTrue(StorageAccess.isConnectionFailure(new ConnectionException(new SQLException("no"))));
        assertTrue(StorageAccess.isConnectionFailure(
                new RuntimeException(new java.sql.SQLTransientConnectionException("pool timeout"))));
        assertFalse(StorageAccess.isConnectionFailure(wrapped(new SQLException("duplicate", "23505"))));
        assertFalse(StorageAccess.isConnectionFailure(wrapped(new SQLException("cancelled", "57014"))));
        assertFalse(StorageAccess.isConnectionFailure(new IllegalStateException("bad row")));
        assertTrue(StorageAccess.isTimeout(wrapped(new SQLException("cancelled", "57014"))));
        assertFalse(StorageAccess.isTimeout(wrapped(new SQLException("duplicate", "23505"))));
        assertFalse(StorageAccess.isTimeout(wrapped(new PSQLException("gone", PSQLState.CONNECTION_FAILURE))));
    }

    private static RuntimeException wrapped(SQLException cause) {
        return new UnableToExecuteStatementException(cause, null);
    }
}
