package dev.authsessions.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start: database on its own thread, the rest meanwhile; a failed start leaves nothing open. */
class AuthSessionsServiceStartTest {

    private static Configuration configuration(TestDatabase database, int port) {
        return Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_DATABASE_URL", database.databaseUrl(),
                "AUTH_SESSIONS_HOST", "127.0.0.1",
                "AUTH_SESSIONS_PORT", Integer.toString(port),
                "AUTH_SESSIONS_ADMIN_KEYS", "start-test-admin-key-0123456789",
                "AUTH_SESSIONS_DB_POOL_SIZE", "3"));
    }

    /** Connections to the test database other than the one asking (which is outside every pool). */
    private static long connectionsTo(TestDatabase database) throws SQLException {
        try (Connection connection = database.openConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            query.setString(1, database.name());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long connectionsAfterSettling(TestDatabase database, long expected) throws Exception {
        long connections = connectionsTo(database);
        for (int i = 0; i < 100 && connections != expected; i++) {
            Thread.sleep(50);
            connections = connectionsTo(database);
        }
        return connections;
    }

    @Test
    void aStartedServiceHoldsItsPoolAndClosingReleasesIt() throws Exception {
        try (TestDatabase database = TestDatabases.fresh()) {
            Configuration config = configuration(database, 0);
            AuthSessionsService service = AuthSessionsService.start(config, config.adminKeys(), Clock.systemUTC());
            try {
                assertTrue(service.port() > 0);
                assertEquals(3, connectionsAfterSettling(database, 3), "the pool keeps its connections open");
            } finally {
                service.close();
            }
            assertEquals(0, connectionsAfterSettling(database, 0));
        }
    }

    @Test
    void aStartThatFailsAfterTheDatabaseStartedClosesTheDatabase() throws Exception {
        try (TestDatabase database = TestDatabases.fresh();
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Configuration config = configuration(database, taken.getLocalPort());

            assertThrows(RuntimeException.class,
                    () -> AuthSessionsService.start(config, config.adminKeys(), Clock.systemUTC()),
                    "the HTTP port is taken");
            assertEquals(0, connectionsAfterSettling(database, 0), "no pool connection is left open");
        }
    }
}
