package dev.authsessions.adapters.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code postmaster.pid} of a data directory says about a server still running on it. pg_ctl starts the
 * embedded server as a daemon, so a JVM killed with SIGKILL (no shutdown hook) leaves it running; PostgreSQL
 * then refuses a second server on the directory for as long as the first lives. Called only by a process that
 * holds the data directory's claim (see {@link EmbeddedPostgresServer}), so any server found is an orphan.
 *
 * <p>A PID can be reused after its process died (a reboot, a container restart), so a live PID is stopped only
 * when that process is a {@code postgres} whose data directory is this one; any other live process is left alone
 * and the file, which then names no server of ours, is removed (PostgreSQL itself would refuse to start while
 * the PID lives), as is one naming a zombie (exited, not yet reaped: it too still answers as alive). PostgreSQL
 * replaces a file naming a dead PID itself, and still refuses to start while processes of an old server hold its
 * shared memory.
 */
final class LeftoverPostmaster {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostmaster.class);
    static final String PID_FILE = "postmaster.pid";
    private static final Duration POLL = Duration.ofMillis(50);

    private LeftoverPostmaster() {
    }

    /**
     * Stops a server left running on {@code pgdata} (SIGTERM, PostgreSQL's smart shutdown: its clients died with
     * the process that started it) and waits at most {@code bound} for it to exit; removes a pid file that names
     * a live process which is no server of {@code pgdata}, or a zombie. Fails, changing nothing, when it cannot
     * tell which.
     */
    static void stopIfRunning(Path pgdata, Duration bound) {
        Path pidFile = pgdata.resolve(PID_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
        Optional<Long> pid = lines.isEmpty() ? Optional.empty() : positiveLong(lines.get(0).strip());
        if (pid.isEmpty()) {
            return; // Not written by a server we could stop; PostgreSQL says what is wrong with it.
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return;
        }
        if (isZombie(pid.get())) {
            removeStale(pidFile, pid.get(), "a process that has exited but was not yet reaped by its parent");
            return;
        }
        ProcessHandle.Info info = process.get().info();
        Optional<Path> itsDataDirectory = dataDirectoryOf(pid.get(), info);
        if (info.command().isEmpty() || (isPostgres(info) && itsDataDirectory.isEmpty())) {
            throw new IllegalStateException(pidFile + " names the running process " + pid.get()
                    + ", which cannot be inspected; stop it if it is a PostgreSQL server of " + pgdata
                    + ", or remove the file if it is not");
        }
        if (isPostgres(info) && isSameDirectory(itsDataDirectory.get(), pgdata)) {
            stop(process.get(), pgdata, bound);
        } else {
            removeStale(pidFile, pid.get(), "a running process that is no PostgreSQL server of this data directory"
                    + " (the PID was reused), which was left alone");
        }
    }

    private static void stop(ProcessHandle server, Path pgdata, Duration bound) {
        long started = System.nanoTime();
        if (!server.destroy()) {
            throw new IllegalStateException("a PostgreSQL server left running on " + pgdata + " (PID " + server.pid()
                    + ") cannot be sent SIGTERM; stop it, then start again");
        }
        long deadline = started + bound.toNanos();
        while (isRunning(server) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the PostgreSQL server " + server.pid(), e);
            }
        }
        if (isRunning(server)) {
            throw new IllegalStateException("a PostgreSQL server left running on " + pgdata + " (PID " + server.pid()
                    + ") did not stop within " + bound.toSeconds() + " s of SIGTERM (a smart shutdown waits for its"
                    + " client sessions to end); stop it, then start again");
        }
        LOG.warn("a PostgreSQL server left running on {} by an earlier process was found and stopped (PID {}, {} ms)",
                pgdata, server.pid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void removeStale(Path pidFile, long pid, String whatItNames) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale " + pidFile, e);
        }
        LOG.warn("{} named PID {}, {}; the stale file was removed", pidFile, pid, whatItNames);
    }

    /** Alive as the server's own start would see it: a process that exited still answers until its parent reaps it. */
    private static boolean isRunning(ProcessHandle process) {
        return process.isAlive() && !isZombie(process.pid());
    }

    /** Linux's state {@code Z} in {@code /proc/PID/stat}; false where there is no such file. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int endOfName = stat.lastIndexOf(')');
            return endOfName > 0 && stat.length() > endOfName + 2 && stat.charAt(endOfName + 2) == 'Z';
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static boolean isPostgres(ProcessHandle.Info info) {
        return info.command().map(Path::of).map(Path::getFileName).map(Path::toString)
                .filter(name -> name.equals("postgres") || name.equals("postgres.exe"))
                .isPresent();
    }

    /** The {@code -D} argument the server was started with, else (Linux) its working directory, where a server runs. */
    private static Optional<Path> dataDirectoryOf(long pid, ProcessHandle.Info info) {
        String[] arguments = info.arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (arguments[i].equals("-D") && Path.of(arguments[i + 1]).isAbsolute()) {
                return Optional.of(Path.of(arguments[i + 1]));
            }
        }
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean isSameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static Optional<Long> positiveLong(String text) {
        try {
            long value = Long.parseLong(text);
            return value > 0 ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
