package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.AuthenticateUseCase;
import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.EndOwnSessionUseCase;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.domain.SessionId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Self-service with the user's own access token: {@code GET /sessions}, {@code DELETE /sessions/{id}}. */
final class SessionRoutes {
    private final AuthenticateUseCase authenticate;
    private final ListOwnSessionsUseCase listOwn;
    private final EndOwnSessionUseCase endOwn;

    SessionRoutes(AuthenticateUseCase authenticate, ListOwnSessionsUseCase listOwn, EndOwnSessionUseCase endOwn) {
        this.authenticate = authenticate;
        this.listOwn = listOwn;
        this.endOwn = endOwn;
    }

    void register(RoutesConfig routes) {
        routes.get("/sessions", this::list);
        routes.delete("/sessions/{id}", this::end);
    }

    /** Newest first, a page of {@code limit} (default 100, at most 1000) at a time, as the admin listing. */
    private void list(Context ctx) {
        Caller caller = authenticate.authenticate(BearerToken.required(ctx));
        SessionId current = caller.session().id();
        QueryParameters query = QueryParameters.reading(ctx, "limit", "cursor");
        ListOwnSessionsUseCase.Page page = listOwn.listOwn(
                new ListOwnSessionsUseCase.Query(caller, PageParameters.limit(query), PageParameters.cursor(query)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sessions", page.sessions().stream().map(details -> OwnSessionResponse.of(details, current)).toList());
        body.put("next_cursor", page.nextCursor());
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, body);
    }

    private void end(Context ctx) {
        // Authentication first: an anonymous caller learns nothing, not even whether the id is well-formed.
        Caller caller = authenticate.authenticate(BearerToken.required(ctx));
        QueryParameters.exactly(ctx);
        RequestBodies.requireNone(ctx);
        endOwn.endOwn(caller, PathIds.of(ctx, "id", SessionId::parse, "session id"));
        ctx.status(204);
    }
}
