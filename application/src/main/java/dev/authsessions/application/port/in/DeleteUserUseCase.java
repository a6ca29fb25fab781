package dev.authsessions.application.port.in;

import dev.authsessions.domain.UserId;

/** Deletes a user and, by cascade, all of its sessions. */
public interface DeleteUserUseCase {

    /** @throws Rejection {@code user_not_found} when there is no such user */
    void delete(UserId id);
}
