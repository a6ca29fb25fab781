package dev.authsessions.adapters.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Every answered request as {@code http_server_requests_seconds{method, route, status}}: a count, a sum
 * and latency buckets from 1 ms to 10 s. The route is the matched template, so ids never become labels.
 */
final class HttpMetrics {
    static final String REQUESTS = "http_server_requests";
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    // Any other method a client makes up counts as one label value, so clients cannot create series at will.
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterRegistry registry;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Context ctx, float millis) {
        Timer.builder(REQUESTS)
                .description("HTTP requests by route template and status")
                .tag("method", METHODS.contains(ctx.method().name()) ? ctx.method().name() : "OTHER")
                .tag("route", RequestLog.routeOf(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }
}
