package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.SessionCleanup;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link SessionCleanup}: each batch is one autocommit statement that picks at most {@code :batch}
 * expired rows with {@code FOR UPDATE SKIP LOCKED} and deletes them, so it never waits for a row a
 * refresh is updating, and a refresh waits at most for one short batch that already holds its row
 * (after which it finds the row gone). Expiry by {@code not_after} is served by {@code sessions_not_after_idx}.
 */
public final class JdbiSessionCleanup implements SessionCleanup {
    static final String DELETE_PAST_NOT_AFTER = batch("not_after < :cutoff");
    static final String DELETE_CREATED_BEFORE = batch("created_at < :cutoff");
    /** {@code refreshed_at} is a UTC {@code timestamp without time zone}; {@code AT TIME ZONE 'UTC'} reads it as such. */
    static final String DELETE_LAST_REFRESHED_BEFORE = batch("coalesce(refreshed_at AT TIME ZONE 'UTC', created_at) < :cutoff");

    private final StorageAccess db;

    @Inject
    public JdbiSessionCleanup(Jdbi jdbi) {
        this.db = new StorageAccess(jdbi);
    }

    private static String batch(String expired) {
        return "DELETE FROM auth.sessions WHERE id IN (SELECT id FROM auth.sessions WHERE " + expired
                + " LIMIT :batch FOR UPDATE SKIP LOCKED)";
    }

    static String sqlFor(Expiry expiry) {
        return switch (expiry) {
            case NOT_AFTER -> DELETE_PAST_NOT_AFTER;
            case CREATED_AT -> DELETE_CREATED_BEFORE;
            case LAST_REFRESHED_AT -> DELETE_LAST_REFRESHED_BEFORE;
        };
    }

    @Override
    public int deleteBatch(Expiry expiry, Instant cutoff, int batchSize) {
        return db.withHandle(handle -> handle.createUpdate(sqlFor(expiry))
                .bind("cutoff", Timestamps.toTimestamptz(cutoff))
                .bind("batch", batchSize)
                .execute());
    }
}
