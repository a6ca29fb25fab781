package dev.authsessions.adapters.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * What the HTTP server needs to be operated: the one metrics registry of the process (request metrics
 * go in, {@code GET /metrics} reads it out), the readiness probe behind {@code GET /ready}, how long a
 * stop waits for in-flight requests, how long a request may sit idle on its connection (a client
 * that stops sending or reading), and how long a request may take to arrive, headers and body, from
 * its first byte (a client that trickles it; see {@link RequestArrival}).
 */
public record HttpOperations(PrometheusMeterRegistry metrics, ReadinessProbe readiness, Duration stopTimeout,
                             Duration idleTimeout, Duration requestTimeout) {
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public HttpOperations {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(readiness, "readiness");
        if (stopTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("the stop timeout cannot be negative and the idle timeout must be positive");
        }
        if (requestTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("the request timeout must be at least a millisecond");
        }
    }

    public HttpOperations(PrometheusMeterRegistry metrics, ReadinessProbe readiness, Duration stopTimeout, Duration idleTimeout) {
        this(metrics, readiness, stopTimeout, idleTimeout, REQUEST_TIMEOUT);
    }

    public HttpOperations(PrometheusMeterRegistry metrics, ReadinessProbe readiness) {
        this(metrics, readiness, STOP_TIMEOUT, IDLE_TIMEOUT);
    }

    /** For a server without a database: always ready, metrics in a registry of its own. */
    public static HttpOperations standalone() {
        return new HttpOperations(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true);
    }
}
