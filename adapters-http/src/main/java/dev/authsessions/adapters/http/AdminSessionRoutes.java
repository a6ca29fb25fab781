package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.DeleteUserSessionsUseCase;
import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** The admin API over existing sessions: read one, page a user's, delete one, delete a user's. Every route needs an admin key. */
final class AdminSessionRoutes {
    private final AdminKeys adminKeys;
    private final SessionUseCases useCases;

    AdminSessionRoutes(AdminKeys adminKeys, SessionUseCases useCases) {
        this.adminKeys = adminKeys;
        this.useCases = useCases;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin/sessions/{id}", adminKeys.guard(this::read));
        routes.delete("/admin/sessions/{id}", adminKeys.guard(this::delete));
        routes.get("/admin/users/{id}/sessions", adminKeys.guard(this::listOfUser));
        routes.delete("/admin/users/{id}/sessions", adminKeys.guard(this::deleteOfUser));
    }

    private void read(Context ctx) {
        Json.write(ctx, 200, SessionDetailsResponse.of(useCases.read().read(sessionId(ctx))));
    }

    private void delete(Context ctx) {
        QueryParameters.exactly(ctx);
        RequestBodies.requireNone(ctx);
        useCases.delete().delete(sessionId(ctx));
        ctx.status(204);
    }

    private void listOfUser(Context ctx) {
        QueryParameters query = QueryParameters.reading(ctx, "limit", "cursor");
        ListUserSessionsUseCase.Page page = useCases.listOfUser().list(
                new ListUserSessionsUseCase.Query(userId(ctx), PageParameters.limit(query), PageParameters.cursor(query)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sessions", page.sessions().stream().map(SessionDetailsResponse::of).toList());
        body.put("next_cursor", page.nextCursor());
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, body);
    }

    /** Every filter must read exactly: one the route cannot read would otherwise widen the delete to all sessions. */
    private void deleteOfUser(Context ctx) {
        QueryParameters query = QueryParameters.exactly(ctx, "oauth_client_id", "except");
        RequestBodies.requireNone(ctx);
        useCases.deleteOfUser().delete(new DeleteUserSessionsUseCase.Command(
                userId(ctx),
                query.get("oauth_client_id", OAuthClientId::parse, "a UUID").orElse(null),
                query.get("except", SessionId::parse, "a UUID").orElse(null)));
        ctx.status(204);
    }

    private static SessionId sessionId(Context ctx) {
        return PathIds.of(ctx, "id", SessionId::parse, "session id");
    }

    private static UserId userId(Context ctx) {
        return PathIds.of(ctx, "id", UserId::parse, "user id");
    }
}
