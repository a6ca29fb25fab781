package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.DeleteOAuthClientUseCase;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase;
import dev.authsessions.domain.OAuthClientId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** OAuth clients, created, replaced and deleted by the operator. Every route needs an admin key. */
final class OAuthClientRoutes {
    private final AdminKeys adminKeys;
    private final RequestBodies bodies;
    private final UpsertOAuthClientUseCase upsertClient;
    private final DeleteOAuthClientUseCase deleteClient;

    OAuthClientRoutes(AdminKeys adminKeys, RequestBodies bodies, UpsertOAuthClientUseCase upsertClient,
            DeleteOAuthClientUseCase deleteClient) {
        this.adminKeys = adminKeys;
        this.bodies = bodies;
        this.upsertClient = upsertClient;
        this.deleteClient = deleteClient;
    }

    void register(RoutesConfig routes) {
        routes.put("/admin/oauth-clients/{id}", adminKeys.guard(this::upsertClient));
        routes.delete("/admin/oauth-clients/{id}", adminKeys.guard(this::deleteClient));
    }

    private void upsertClient(Context ctx) {
        QueryParameters.exactly(ctx);
        OAuthClientId id = clientIdOf(ctx);
        UpsertOAuthClientRequest request = UpsertOAuthClientRequest.from(bodies.json(ctx));
        UpsertOAuthClientUseCase.Result result = upsertClient.upsert(request.toCommand(id));
        Json.write(ctx, result.created() ? 201 : 200, OAuthClientResponse.of(result.client()));
    }

    private void deleteClient(Context ctx) {
        QueryParameters.exactly(ctx);
        RequestBodies.requireNone(ctx);
        deleteClient.delete(clientIdOf(ctx));
        ctx.status(204);
    }

    private static OAuthClientId clientIdOf(Context ctx) {
        return PathIds.of(ctx, "id", OAuthClientId::parse, "oauth client id");
    }
}
