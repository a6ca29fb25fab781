package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.RemoveFactorUseCase;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.UserId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** A user's MFA factors, as the operator registers and removes them. Every route needs an admin key. */
final class FactorRoutes {
    private final AdminKeys adminKeys;
    private final RequestBodies bodies;
    private final RegisterFactorUseCase registerFactor;
    private final RemoveFactorUseCase removeFactor;

    FactorRoutes(AdminKeys adminKeys, RequestBodies bodies, RegisterFactorUseCase registerFactor, RemoveFactorUseCase removeFactor) {
        this.adminKeys = adminKeys;
        this.bodies = bodies;
        this.registerFactor = registerFactor;
        this.removeFactor = removeFactor;
    }

    void register(RoutesConfig routes) {
        routes.put("/admin/users/{id}/factors/{factor_id}", adminKeys.guard(this::registerFactor));
        routes.delete("/admin/users/{id}/factors/{factor_id}", adminKeys.guard(this::removeFactor));
    }

    private void registerFactor(Context ctx) {
        QueryParameters.exactly(ctx);
        UserId userId = userIdOf(ctx);
        FactorId factorId = factorIdOf(ctx);
        RegisterFactorRequest request = RegisterFactorRequest.from(bodies.json(ctx));
        RegisterFactorUseCase.Result result = registerFactor.register(request.toCommand(userId, factorId));
        Json.write(ctx, result.created() ? 201 : 200, FactorResponse.of(result.factor()));
    }

    private void removeFactor(Context ctx) {
        QueryParameters.exactly(ctx);
        RequestBodies.requireNone(ctx);
        removeFactor.remove(userIdOf(ctx), factorIdOf(ctx));
        ctx.status(204);
    }

    private static UserId userIdOf(Context ctx) {
        return PathIds.of(ctx, "id", UserId::parse, "user id");
    }

    private static FactorId factorIdOf(Context ctx) {
        return PathIds.of(ctx, "factor_id", FactorId::parse, "factor id");
    }
}
