package dev.authsessions.adapters.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh, migrated PostgreSQL databases for tests. One server per JVM, chosen in this order:
 * <ol>
 *   <li>{@code AUTH_SESSIONS_TEST_DATABASE_URL} ({@code postgres://} or {@code jdbc:postgresql:}; its
 *       user needs CREATEDB);</li>
 *   <li>a Testcontainers PostgreSQL, only when a Docker engine answers (looked for cheaply first, so
 *       a machine without Docker pays nothing and needs no Testcontainers on its class path);</li>
 *   <li>zonky embedded PostgreSQL in a temporary directory, with fsync off.</li>
 * </ol>
 * A template database is migrated once per JVM; each {@link #fresh()} is a {@code CREATE DATABASE
 * ... TEMPLATE} copy of it, which takes a fraction of a second.
 */
public final class TestDatabases {
    public static final String URL_VARIABLE = "AUTH_SESSIONS_TEST_DATABASE_URL";

    private static final String RUN_ID =
            UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static Server server;
    private static String template;

    private TestDatabases() {
    }

    /** The server every test database of this JVM lives on. */
    public record Server(String kind, DatabaseUrl adminUrl) {
        public String host() {
            return adminUrl.host();
        }

        public int port() {
            return adminUrl.port();
        }

        Connection openAdminConnection() throws SQLException {
            return DriverManager.getConnection(adminUrl.jdbcUrl(), adminUrl.user(), adminUrl.password());
        }
    }

    /** A new database with the schema migrated; close it when done (it is then dropped). */
    public static synchronized TestDatabase fresh() {
        Server s = server();
        String name = "auth_sessions_test_" + RUN_ID + "_" + COUNTER.incrementAndGet();
        try (Connection admin = s.openAdminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on the " + s.kind() + " server", e);
        }
        return new TestDatabase(s, s.adminUrl().withDatabase(name));
    }

    /** A new database with nothing in it (not even auth-sessions' schema); close it when done (it is then dropped). */
    public static synchronized TestDatabase empty() {
        Server s = server();
        String name = "auth_sessions_test_" + RUN_ID + "_" + COUNTER.incrementAndGet();
        try (Connection admin = s.openAdminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on the " + s.kind() + " server", e);
        }
        return new TestDatabase(s, s.adminUrl().withDatabase(name));
    }

    /** A name no other database or role of this JVM's run has: {@code prefix} then the run and a counter. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + RUN_ID + "_" + COUNTER.incrementAndGet();
    }

    /** Starts (once) and returns the server; fault tests use its host and port. */
    public static synchronized Server server() {
        if (server == null) {
            server = startServer();
        }
        return server;
    }

    private static String template() {
        if (template == null) {
            String name = "auth_sessions_template_" + RUN_ID;
            try (Connection admin = server.openAdminConnection(); Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the template database on the " + server.kind() + " server", e);
            }
            DatabaseUrl url = server.adminUrl().withDatabase(name);
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url.jdbcUrl());
            dataSource.setUser(url.user());
            dataSource.setPassword(url.password());
            PostgresLifecycle.migrate(dataSource);
            template = name;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dropQuietly(server, name), "drop-test-template"));
        }
        return template;
    }

    static void dropQuietly(Server s, String database) {
        try (Connection admin = s.openAdminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                    + database + "' AND pid <> pg_backend_pid()");
            statement.execute("DROP DATABASE IF EXISTS " + database);
        } catch (SQLException e) {
            // The server may already be gone at JVM exit; an embedded one takes its files with it.
        }
    }

    private static Server startServer() {
        String configured = System.getenv(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return new Server("external", DatabaseUrl.parse(configured));
        }
        if (dockerMightBeAvailable()) {
            try {
                Class.forName("org.testcontainers.DockerClientFactory");
                if (ContainerServer.isDockerAvailable()) {
                    return new Server("testcontainers", DatabaseUrl.parse(ContainerServer.start()));
                }
            } catch (ClassNotFoundException e) {
                // Testcontainers is not on this module's test class path: use the embedded server.
            }
        }
        return startEmbedded();
    }

    /** Cheap look for a Docker engine before Testcontainers spends time probing for one. */
    private static boolean dockerMightBeAvailable() {
        if (System.getenv("DOCKER_HOST") != null) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        return Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(home, ".testcontainers.properties"))
                || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
                || (runtimeDir != null && Files.exists(Path.of(runtimeDir, "docker.sock")));
    }

    private static Server startEmbedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // Nothing left to do at JVM exit.
                }
            }, "stop-test-postgres"));
            return new Server("embedded", DatabaseUrl.parse(
                    "postgres://" + EmbeddedPostgresServer.USER + "@127.0.0.1:" + postgres.getPort() + "/postgres"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests", e);
        }
    }

    /** Kept apart so that Testcontainers classes load only when Docker may be there. */
    private static final class ContainerServer {
        static boolean isDockerAvailable() {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        }

        @SuppressWarnings("resource")
        static String start() {
            org.testcontainers.postgresql.PostgreSQLContainer container =
                    new org.testcontainers.postgresql.PostgreSQLContainer("postgres:16-alpine")
                            .withCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-test-container"));
            return "postgres://" + container.getUsername() + ":" + container.getPassword() + "@"
                    + container.getHost() + ":" + container.getMappedPort(5432) + "/" + container.getDatabaseName();
        }
    }
}
