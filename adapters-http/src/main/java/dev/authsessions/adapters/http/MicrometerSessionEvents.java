package dev.authsessions.adapters.http;

import dev.authsessions.application.port.out.SessionEvents;
import dev.authsessions.domain.ReuseCause;
import dev.authsessions.domain.SessionValidity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Refresh outcomes as one Prometheus counter, {@code auth_sessions_refresh_total{outcome, reason}}:
 * {@code rotated/none}, {@code reuse_allowed/<causes, comma-separated>}, {@code reuse_rejected/session_ended|session_kept},
 * {@code expired/past_not_after|past_timebox|inactive|low_aal}, {@code revoked_by_newer_login/none}.
 *
 * <p>Other counters of the process follow the same naming: the clean-up job counts deleted sessions as
 * {@code auth_sessions_cleanup_deleted_total{reason}} (see {@link #CLEANUP_DELETED}).
 */
public final class MicrometerSessionEvents implements SessionEvents {
    static final String REFRESH = "auth_sessions_refresh";
    /** Sessions deleted by the clean-up job: {@code auth_sessions_cleanup_deleted_total{reason}}. */
    public static final String CLEANUP_DELETED = "auth_sessions_cleanup_deleted";

    private final MeterRegistry registry;
    private final Counter rotated;
    private final Counter revoked;

    public MicrometerSessionEvents(MeterRegistry registry) {
        this.registry = registry;
        this.rotated = counter("rotated", "none");
        this.revoked = counter("revoked_by_newer_login", "none");
        // Present from the start, so that a dashboard sees zeros rather than no series.
        counter("reuse_rejected", "session_ended");
    }

    private Counter counter(String outcome, String reason) {
        return Counter.builder(REFRESH)
                .description("Refresh grants that reached a session's rules, by outcome")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry);
    }

    @Override
    public void rotated() {
        rotated.increment();
    }

    @Override
    public void reuseAllowed(List<ReuseCause> causes) {
        counter("reuse_allowed", causes.stream().map(ReuseCause::value).sorted().collect(Collectors.joining(","))).increment();
    }

    @Override
    public void reuseRejected(boolean sessionEnded) {
        counter("reuse_rejected", sessionEnded ? "session_ended" : "session_kept").increment();
    }

    @Override
    public void expired(SessionValidity reason) {
        counter("expired", reason.name().toLowerCase(Locale.ROOT)).increment();
    }

    @Override
    public void revokedByNewerLogin() {
        revoked.increment();
    }

    @Override
    public void cleanedUp(int pastNotAfter, int pastTimebox, int inactive) {
        cleanupCounter("not_after").increment(pastNotAfter);
        cleanupCounter("timebox").increment(pastTimebox);
        cleanupCounter("inactivity").increment(inactive);
    }

    private Counter cleanupCounter(String reason) {
        return Counter.builder(CLEANUP_DELETED).description("Sessions deleted by the clean-up job, by the rule they expired by")
                .tag("reason", reason).register(registry);
    }
}
