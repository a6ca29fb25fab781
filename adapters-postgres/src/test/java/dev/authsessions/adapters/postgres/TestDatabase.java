package dev.authsessions.adapters.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * One migrated database of {@link TestDatabases}; {@link #close()} drops it. The fault helpers
 * ({@link #refuseConnections()}, {@link #terminateConnections()}) let a test take the database away
 * from its clients and give it back without touching other databases on the server.
 */
public final class TestDatabase implements AutoCloseable {
    private static final int POOL_SIZE = 5;

    private final TestDatabases.Server server;
    private final DatabaseUrl url;
    private HikariDataSource pool;
    private Jdbi jdbi;

    TestDatabase(TestDatabases.Server server, DatabaseUrl url) {
        this.server = server;
        this.url = url;
    }

    public String name() {
        return url.database();
    }

    /** Without credentials; see {@link #user()} and {@link #password()}. */
    public String jdbcUrl() {
        return url.jdbcUrl();
    }

    public String user() {
        return url.user();
    }

    /** May be null (the embedded server trusts local connections). */
    public String password() {
        return url.password();
    }

    public String host() {
        return url.host();
    }

    public int port() {
        return url.port();
    }

    public DatabaseUrl url() {
        return url;
    }

    /** A {@code postgres://} URL with credentials, as {@code AUTH_SESSIONS_DATABASE_URL} takes it. */
    public String databaseUrl() {
        String credentials = url.user() == null ? "" : encode(url.user())
                + (url.password() == null ? "" : ":" + encode(url.password())) + "@";
        return "postgres://" + credentials + url.host() + ":" + url.port() + "/" + url.database();
    }

    /** As {@link #databaseUrl()}, connecting as another role. */
    public String databaseUrlAs(String role, String rolePassword) {
        return "postgres://" + encode(role) + ":" + encode(rolePassword) + "@" + url.host() + ":" + url.port() + "/" + url.database();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A small pool on this database, created on first use and closed with it. */
    public synchronized DataSource dataSource() {
        if (pool == null) {
            pool = PostgresLifecycle.createPool(url, POOL_SIZE, "test-" + name());
        }
        return pool;
    }

    public synchronized Jdbi jdbi() {
        if (jdbi == null) {
            jdbi = PostgresLifecycle.createJdbi(dataSource());
        }
        return jdbi;
    }

    /** A connection of its own, outside the pool. */
    public Connection openConnection() throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }

    /** New connections to this database are refused (until {@link #acceptConnections()}); open ones are ended. */
    public void refuseConnections() {
        admin("ALTER DATABASE " + name() + " WITH ALLOW_CONNECTIONS false");
        terminateConnections();
    }

    public void acceptConnections() {
        admin("ALTER DATABASE " + name() + " WITH ALLOW_CONNECTIONS true");
    }

    /** Ends every open connection to this database, as a server restart would. */
    public void terminateConnections() {
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name()
                + "' AND pid <> pg_backend_pid()");
    }

    private void admin(String sql) {
        try (Connection admin = server.openAdminConnection(); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("admin statement failed on the test server", e);
        }
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
        TestDatabases.dropQuietly(server, name());
    }
}
