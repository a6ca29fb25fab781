package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.DeleteUserUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.domain.UserId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** The admin API, for the trusted login service: users and the start of sessions. Every route needs an admin key. */
final class AdminRoutes {
    private final AdminKeys adminKeys;
    private final RequestBodies bodies;
    private final UpsertUserUseCase upsertUser;
    private final DeleteUserUseCase deleteUser;
    private final StartSessionUseCase startSession;

    AdminRoutes(AdminKeys adminKeys, RequestBodies bodies, UpsertUserUseCase upsertUser, DeleteUserUseCase deleteUser,
            StartSessionUseCase startSession) {
        this.adminKeys = adminKeys;
        this.bodies = bodies;
        this.upsertUser = upsertUser;
        this.deleteUser = deleteUser;
        this.startSession = startSession;
    }

    void register(RoutesConfig routes) {
        routes.put("/admin/users/{id}", admin(this::upsertUser));
        routes.delete("/admin/users/{id}", admin(this::deleteUser));
        routes.post("/admin/sessions", admin(this::startSession));
    }

    private Handler admin(Handler handler) {
        return ctx -> {
            adminKeys.require(ctx);
            handler.handle(ctx);
        };
    }

    private void upsertUser(Context ctx) {
        UserId id = userIdOf(ctx);
        UpsertUserRequest request = UpsertUserRequest.from(bodies.json(ctx));
        UpsertUserUseCase.Result result = upsertUser.upsert(request.toCommand(id));
        Json.write(ctx, result.created() ? 201 : 200, UserResponse.of(result.user()));
    }

    private void deleteUser(Context ctx) {
        deleteUser.delete(userIdOf(ctx));
        ctx.status(204);
    }

    private void startSession(Context ctx) {
        StartSessionRequest request = StartSessionRequest.from(bodies.json(ctx));
        TokenGrant grant = startSession.start(request.toCommand());
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 201, TokenResponse.withSession(grant));
    }

    private static UserId userIdOf(Context ctx) {
        try {
            return UserId.parse(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw Rejection.validation("the user id in the path must be a UUID");
        }
    }
}
