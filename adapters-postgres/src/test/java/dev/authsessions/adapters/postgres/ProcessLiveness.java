package dev.authsessions.adapters.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process still runs, for tests about servers left running by killed processes. A process that exited
 * stays a zombie until its parent reaps it, and {@link ProcessHandle#isAlive()} counts it alive; an orphaned
 * server's parent is init, which may reap late.
 */
public final class ProcessLiveness {
    private ProcessLiveness() {
    }

    /** Alive and not a zombie (Linux state {@code Z} in {@code /proc/PID/stat}). */
    public static boolean isRunning(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return !isZombie(pid);
        }
        return false;
    }

    public static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }
}
