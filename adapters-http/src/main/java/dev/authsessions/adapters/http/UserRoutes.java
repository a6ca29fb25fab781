package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.AuthenticateUseCase;
import dev.authsessions.application.port.in.LogoutUseCase;
import dev.authsessions.application.port.in.Rejection;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** What a signed-in user does with their own access token: {@code GET /user}, {@code POST /logout}. */
final class UserRoutes {
    private final AuthenticateUseCase authenticate;
    private final LogoutUseCase logout;

    UserRoutes(AuthenticateUseCase authenticate, LogoutUseCase logout) {
        this.authenticate = authenticate;
        this.logout = logout;
    }

    void register(RoutesConfig routes) {
        routes.get("/user", this::user);
        routes.post("/logout", this::logout);
    }

    private void user(Context ctx) {
        AuthenticateUseCase.Caller caller = authenticate.authenticate(BearerToken.required(ctx));
        RequestLog.sessionId(ctx, caller.session().id());
        Json.write(ctx, 200, UserResponse.of(caller.user()));
    }

    private void logout(Context ctx) {
        String token = BearerToken.required(ctx);
        // Only a request without the parameter means global: an empty, repeated or misspelt scope is refused.
        LogoutUseCase.Scope scope = QueryParameters.exactly(ctx, "scope").get("scope")
                .map(requested -> LogoutUseCase.Scope.fromValue(requested).orElseThrow(() ->
                        Rejection.validation("scope must be one of: global, local, others")))
                .orElse(LogoutUseCase.Scope.GLOBAL);
        RequestBodies.requireNone(ctx);
        AuthenticateUseCase.Caller caller = authenticate.authenticate(token);
        RequestLog.sessionId(ctx, caller.session().id());
        logout.logout(caller, scope);
        ctx.status(204);
    }
}
