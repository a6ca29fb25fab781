package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.DeleteUserUseCase;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The admin API, for the trusted login service: users, the start of sessions and their step-up to
 * MFA. Every route needs an admin key.
 */
final class AdminRoutes {
    private final AdminKeys adminKeys;
    private final RequestBodies bodies;
    private final UpsertUserUseCase upsertUser;
    private final DeleteUserUseCase deleteUser;
    private final StartSessionUseCase startSession;
    private final StepUpSessionUseCase stepUpSession;

    AdminRoutes(AdminKeys adminKeys, RequestBodies bodies, UpsertUserUseCase upsertUser, DeleteUserUseCase deleteUser,
            StartSessionUseCase startSession, StepUpSessionUseCase stepUpSession) {
        this.adminKeys = adminKeys;
        this.bodies = bodies;
        this.upsertUser = upsertUser;
        this.deleteUser = deleteUser;
        this.startSession = startSession;
        this.stepUpSession = stepUpSession;
    }

    void register(RoutesConfig routes) {
        routes.put("/admin/users/{id}", adminKeys.guard(this::upsertUser));
        routes.delete("/admin/users/{id}", adminKeys.guard(this::deleteUser));
        routes.post("/admin/sessions", adminKeys.guard(this::startSession));
        routes.post("/admin/sessions/{id}/mfa", adminKeys.guard(this::stepUpSession));
    }

    private void upsertUser(Context ctx) {
        QueryParameters.exactly(ctx);
        UserId id = userIdOf(ctx);
        UpsertUserRequest request = UpsertUserRequest.from(bodies.json(ctx));
        UpsertUserUseCase.Result result = upsertUser.upsert(request.toCommand(id));
        Json.write(ctx, result.created() ? 201 : 200, UserResponse.of(result.user()));
    }

    private void deleteUser(Context ctx) {
        QueryParameters.exactly(ctx);
        RequestBodies.requireNone(ctx);
        deleteUser.delete(userIdOf(ctx));
        ctx.status(204);
    }

    private void startSession(Context ctx) {
        QueryParameters.exactly(ctx);
        StartSessionRequest request = StartSessionRequest.from(bodies.json(ctx));
        TokenGrant grant = startSession.start(request.toCommand());
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 201, TokenResponse.withSession(grant));
    }

    /** Answers like {@code /token}: the new pair replaces the client's, so the same body and headers. */
    private void stepUpSession(Context ctx) {
        QueryParameters.exactly(ctx);
        SessionId id = PathIds.of(ctx, "id", SessionId::parse, "session id");
        StepUpRequest request = StepUpRequest.from(bodies.json(ctx));
        TokenGrant grant = stepUpSession.stepUp(request.toCommand(id));
        TokenResponse.writeSessionHeaders(ctx, grant);
        Json.write(ctx, 200, TokenResponse.of(grant));
    }

    private static UserId userIdOf(Context ctx) {
        return PathIds.of(ctx, "id", UserId::parse, "user id");
    }
}
