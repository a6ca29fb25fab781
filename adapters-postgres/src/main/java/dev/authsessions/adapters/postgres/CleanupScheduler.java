package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.in.CleanUpSessionsUseCase;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the session clean-up every {@code interval} on one daemon thread, the first pass one interval
 * after {@link #start} (so a start is never slowed by it). Passes never overlap. Each pass logs one line
 * with its counts; a failing pass (the database is down, say) logs one warning and the next pass runs
 * as planned. {@link #runOnce} is the same pass on the caller's thread, for a one-off clean-up.
 */
public final class CleanupScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupScheduler.class);

    private final CleanUpSessionsUseCase cleanUp;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public CleanupScheduler(CleanUpSessionsUseCase cleanUp, Duration interval) {
        this.cleanUp = Objects.requireNonNull(cleanUp, "clean-up use case");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the clean-up interval must be positive");
        }
    }

    /** Schedules the passes; calling it again does nothing. */
    public synchronized CleanupScheduler start() {
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "session-cleanup");
                thread.setDaemon(true);
                return thread;
            });
            long nanos = interval.toNanos();
            executor.scheduleWithFixedDelay(this::runOnce, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        return this;
    }

    /** One pass: its counts, or empty if it failed (already logged). Never throws. */
    public Optional<CleanUpSessionsUseCase.Result> runOnce() {
        long started = System.nanoTime();
        try {
            CleanUpSessionsUseCase.Result result = cleanUp.cleanUp();
            LOG.info("session clean-up deleted {} sessions ({} past not_after, {} past the timebox, {} inactive) in {} ms",
                    result.total(), result.pastNotAfter(), result.pastTimebox(), result.inactive(), millisSince(started));
            return Optional.of(result);
        } catch (RuntimeException e) {
            LOG.warn("session clean-up failed after {} ms, will retry in {}: {}: {}", millisSince(started), interval,
                    e.getClass().getSimpleName(), e.getMessage());
            return Optional.empty();
        }
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    public synchronized boolean isRunning() {
        return executor != null && !executor.isShutdown();
    }

    /** Stops the passes, waiting a few seconds for one in flight (each of its batches is short). */
    @Override
    public synchronized void close() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
