package dev.authsessions.adapters.http;

import com.google.inject.Inject;
import dev.authsessions.application.port.in.DeleteSessionUseCase;
import dev.authsessions.application.port.in.DeleteUserSessionsUseCase;
import dev.authsessions.application.port.in.EndOwnSessionUseCase;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.ReadSessionUseCase;
import java.util.Objects;

/** The use cases behind the session listing and deletion routes, self-service and admin, handed to {@link HttpServer} together. */
public record SessionUseCases(
        ListOwnSessionsUseCase listOwn,
        EndOwnSessionUseCase endOwn,
        ReadSessionUseCase read,
        ListUserSessionsUseCase listOfUser,
        DeleteSessionUseCase delete,
        DeleteUserSessionsUseCase deleteOfUser) {

    @Inject
    public SessionUseCases {
        Objects.requireNonNull(listOwn, "list own sessions");
        Objects.requireNonNull(endOwn, "end own session");
        Objects.requireNonNull(read, "read session");
        Objects.requireNonNull(listOfUser, "list user sessions");
        Objects.requireNonNull(delete, "delete session");
        Objects.requireNonNull(deleteOfUser, "delete user sessions");
    }
}
