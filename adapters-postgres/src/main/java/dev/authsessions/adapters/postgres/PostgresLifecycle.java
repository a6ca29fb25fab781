package dev.authsessions.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.authsessions.application.port.out.DatabaseMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database this process uses, from start to close: the embedded server (when no URL is
 * configured), the connection pool, the migrations and the {@link Jdbi} on top. {@link #start}
 * finds out whose {@code auth} schema the database holds ({@link DatabaseMode}, no setting) and runs the
 * Flyway migrations of that mode before it returns, so nothing can use the database unmigrated.
 */
public final class PostgresLifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLifecycle.class);
    /** How long a request waits for a connection; a dead database fails within this. */
    static final long CONNECTION_TIMEOUT_MILLIS = 2_500;
    /** How long a statement may wait for a row lock (milliseconds). */
    static final long LOCK_TIMEOUT_MILLIS = 3_000;
    /** How long one statement of a request may run before it is cancelled (503 request_timeout). */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a pooled connection waits for any bytes from the server: the backstop for a database that
     * vanished without closing the connection (a cancel cannot reach it either). Migrations do not use the pool.
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_SQL_IN_MESSAGE = 200;

    private final Optional<EmbeddedPostgresServer> embedded;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final DatabaseMode mode;

    private PostgresLifecycle(Optional<EmbeddedPostgresServer> embedded, HikariDataSource dataSource, DatabaseMode mode) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.jdbi = createJdbi(dataSource);
        this.mode = mode;
    }

    /** Starts the embedded server if needed, opens the pool and migrates the schema. */
    public static PostgresLifecycle start(PostgresSettings settings) {
        return start(settings, Duration.ofMillis(CONNECTION_TIMEOUT_MILLIS));
    }

    /** As {@link #start(PostgresSettings)}, reporting the pool's metrics to {@code poolMetrics}. */
    public static PostgresLifecycle start(PostgresSettings settings, Optional<MetricsTrackerFactory> poolMetrics) {
        return start(settings, Duration.ofMillis(CONNECTION_TIMEOUT_MILLIS), poolMetrics);
    }

    /**
     * As {@link #start(PostgresSettings, Optional)}, on a thread of its own, so the caller can prepare
     * what needs no database meanwhile (the embedded server's start and the migrations are mostly
     * waiting). The future fails with the start's exception.
     */
    public static CompletableFuture<PostgresLifecycle> startInBackground(
            PostgresSettings settings, Optional<MetricsTrackerFactory> poolMetrics) {
        CompletableFuture<PostgresLifecycle> started = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                started.complete(start(settings, poolMetrics));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "auth-sessions:database-start");
        thread.setDaemon(true);
        thread.start();
        return started;
    }

    /** Waits for a {@link #startInBackground} to finish; its failure is rethrown as it was thrown. */
    public static PostgresLifecycle await(CompletableFuture<PostgresLifecycle> starting) {
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    static PostgresLifecycle start(PostgresSettings settings, Duration connectionTimeout) {
        return start(settings, connectionTimeout, Optional.empty());
    }

    static PostgresLifecycle start(PostgresSettings settings, Duration connectionTimeout,
                                   Optional<MetricsTrackerFactory> poolMetrics) {
        Optional<EmbeddedPostgresServer> embedded = Optional.empty();
        DatabaseUrl url;
        if (settings.databaseUrl().isPresent()) {
            url = DatabaseUrl.parse(settings.databaseUrl().get());
        } else {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings.dataDir());
            embedded = Optional.of(server);
            url = DatabaseUrl.parse(server.databaseUrl());
            LOG.info("embedded PostgreSQL started on port {} with data in {}", server.port(), server.dataDirectory());
        }
        HikariDataSource pool = null;
        try {
            pool = createPool(url, settings.poolSize(), "auth-sessions", connectionTimeout, poolMetrics);
            DatabaseMode mode = prepare(migrationDataSource(url));
            return new PostgresLifecycle(embedded, pool, mode);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            embedded.ifPresent(EmbeddedPostgresServer::close);
            throw e;
        }
    }

    /**
     * A fixed-size pool that waits at most {@link #CONNECTION_TIMEOUT_MILLIS} for a connection and
     * can be created while the database is down (it connects when asked).
     */
    public static HikariDataSource createPool(DatabaseUrl url, int size, String name) {
        return createPool(url, size, name, Duration.ofMillis(CONNECTION_TIMEOUT_MILLIS));
    }

    /** As {@link #createPool(DatabaseUrl, int, String)}, with another wait for a connection (at least 250 ms). */
    public static HikariDataSource createPool(DatabaseUrl url, int size, String name, Duration connectionTimeout) {
        return createPool(url, size, name, connectionTimeout, Optional.empty());
    }

    static HikariDataSource createPool(DatabaseUrl url, int size, String name, Duration connectionTimeout,
                                       Optional<MetricsTrackerFactory> poolMetrics) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(Math.min(1_000, connectionTimeout.toMillis()));
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // No statement waits long for a row lock: past this the database refuses and the request is a 409.
        config.addDataSourceProperty("options", "-c lock_timeout=" + LOCK_TIMEOUT_MILLIS);
        config.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        // The server's error detail quotes row values (a duplicate key, a refused foreign key): keep it out of exceptions and logs.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        poolMetrics.ifPresent(config::setMetricsTrackerFactory);
        return new HikariDataSource(config);
    }

    /** Unpooled connections without the pool's socket timeout: a migration may run long on a big table. */
    private static DataSource migrationDataSource(DatabaseUrl url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url.jdbcUrl());
        dataSource.setUser(url.user());
        dataSource.setPassword(url.password());
        dataSource.setConnectTimeout((int) Math.max(1, Duration.ofMillis(CONNECTION_TIMEOUT_MILLIS).toSeconds()));
        dataSource.setTcpKeepAlive(true);
        return dataSource;
    }

    /**
     * Finds the mode from what the database holds and prepares it: standalone, {@link #migrate}; beside GoTrue,
     * checks that auth-sessions can work there (else {@link UnsuitableDatabaseException}, one line), then applies
     * {@code db/beside-gotrue} to a schema of its own, {@code auth_sessions}, and touches nothing of GoTrue's.
     */
    public static DatabaseMode prepare(DataSource dataSource) {
        DatabaseMode mode;
        Optional<String> goTrueMigration = Optional.empty();
        try (Connection connection = dataSource.getConnection()) {
            mode = DatabaseInspection.detect(connection);
            if (mode == DatabaseMode.BESIDE_GOTRUE) {
                DatabaseInspection.checkBesideGoTrue(connection);
                goTrueMigration = DatabaseInspection.newestGoTrueMigration(connection);
            }
        } catch (SQLException e) {
            throw StorageAccess.translate(new IllegalStateException("cannot inspect the database: " + e.getMessage(), e));
        }
        if (mode == DatabaseMode.STANDALONE) {
            migrate(dataSource);
            LOG.info("database mode: {} (auth-sessions owns and migrates schema auth)", mode.description());
        } else {
            migrateBesideGoTrue(dataSource);
            LOG.info("database mode: {} (GoTrue owns schema auth, at migration {}; auth-sessions keeps its own objects in schema {})",
                    mode.description(), goTrueMigration.orElse("?"), DatabaseInspection.OWN_SCHEMA);
        }
        return mode;
    }

    /** Applies the migrations in {@code db/migration}; the history table is {@code auth.flyway_schema_history}. */
    public static void migrate(DataSource dataSource) {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .schemas("auth")
                    .createSchemas(true)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw StorageAccess.translate(e);
        }
    }

    /** Applies {@code db/beside-gotrue} to schema {@code auth_sessions}, with the history table there. */
    private static void migrateBesideGoTrue(DataSource dataSource) {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .schemas(DatabaseInspection.OWN_SCHEMA)
                    .createSchemas(true)
                    .locations("classpath:db/beside-gotrue")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw StorageAccess.translate(e);
        }
    }

    /**
     * JDBI on {@code dataSource}: each statement is cancelled after {@link #QUERY_TIMEOUT}; exception messages
     * carry the SQL but never the bound values (keys, tokens).
     */
    public static Jdbi createJdbi(DataSource dataSource) {
        return createJdbi(dataSource, QUERY_TIMEOUT);
    }

    static Jdbi createJdbi(DataSource dataSource, Duration queryTimeout) {
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(PostgresLifecycle::withoutParameters);
        jdbi.getConfig(SqlStatements.class).setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
        return jdbi;
    }

    private static String withoutParameters(StatementException e) {
        String sql = e.getStatementContext() == null ? null : e.getStatementContext().getRawSql();
        if (sql == null) {
            return e.getShortMessage();
        }
        String flat = sql.strip().replaceAll("\\s+", " ");
        return e.getShortMessage() + " [statement: " + (flat.length() > MAX_SQL_IN_MESSAGE
                ? flat.substring(0, MAX_SQL_IN_MESSAGE) + "..." : flat) + "]";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Whose {@code auth} schema this database holds, as found at start. */
    public DatabaseMode mode() {
        return mode;
    }

    /** The embedded server's port, when this process runs one. */
    public Optional<Integer> embeddedPort() {
        return embedded.map(EmbeddedPostgresServer::port);
    }

    /** Whether a pooled connection can be had and answers; for a readiness probe. Never throws. */
    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Closes the pool, then stops the embedded server (if any). */
    @Override
    public void close() {
        try {
            dataSource.close();
        } finally {
            embedded.ifPresent(EmbeddedPostgresServer::close);
        }
    }
}
