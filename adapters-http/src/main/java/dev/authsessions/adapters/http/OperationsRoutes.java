package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.ReadPublicKeysUseCase;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** Endpoints for operators and verifiers: liveness and the public signing keys. */
final class OperationsRoutes {
    private final ReadPublicKeysUseCase readPublicKeys;

    OperationsRoutes(ReadPublicKeysUseCase readPublicKeys) {
        this.readPublicKeys = readPublicKeys;
    }

    void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/.well-known/jwks.json", this::jwks);
    }

    /** The process is up; says nothing about the database. */
    private void health(Context ctx) {
        Json.write(ctx, 200, Map.of("status", "ok"));
    }

    private void jwks(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=600");
        Json.write(ctx, 200, readPublicKeys.publicKeys());
    }
}
