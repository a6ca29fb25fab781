package dev.authsessions.application.service;

import java.time.Duration;
import java.util.Objects;

/**
 * How the clean-up job deletes: a session is deleted once it has been expired for longer than
 * {@code grace}, at most {@code batchSize} rows per statement.
 */
public record CleanupSettings(Duration grace, int batchSize) {
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    public static final int DEFAULT_BATCH_SIZE = 1000;

    public CleanupSettings {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the clean-up grace period cannot be negative");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the clean-up batch size must be at least 1");
        }
    }

    public static CleanupSettings defaults() {
        return new CleanupSettings(DEFAULT_GRACE, DEFAULT_BATCH_SIZE);
    }
}
