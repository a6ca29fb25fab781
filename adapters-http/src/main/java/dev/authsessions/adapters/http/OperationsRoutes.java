package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ReadPublicKeysUseCase;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/** Endpoints for operators and verifiers: liveness, readiness, metrics and the public signing keys. */
final class OperationsRoutes {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ReadPublicKeysUseCase readPublicKeys;
    private final ReadinessProbe readiness;
    private final PrometheusMeterRegistry metrics;

    OperationsRoutes(ReadPublicKeysUseCase readPublicKeys, ReadinessProbe readiness, PrometheusMeterRegistry metrics) {
        this.readPublicKeys = readPublicKeys;
        this.readiness = readiness;
        this.metrics = metrics;
    }

    void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/ready", this::ready);
        routes.get("/metrics", this::metrics);
        routes.get("/.well-known/jwks.json", this::jwks);
    }

    /** The process is up; says nothing about the database. */
    private void health(Context ctx) {
        Json.write(ctx, 200, Map.of("status", "ok"));
    }

    /** Whether the database answers: 200, or 503 {@code service_unavailable} until it does again. */
    private void ready(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        if (readiness.isReady()) {
            Json.write(ctx, 200, Map.of("status", "ok"));
        } else {
            throw new HttpProblem(503, ErrorCode.SERVICE_UNAVAILABLE.value(), "The database is not reachable");
        }
    }

    /** Prometheus text format: request, refresh, pool and process metrics. */
    private void metrics(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(PROMETHEUS_TEXT);
        ctx.result(metrics.scrape());
    }

    private void jwks(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=600");
        Json.write(ctx, 200, readPublicKeys.publicKeys());
    }
}
