package dev.authsessions.application.service;

import dev.authsessions.application.port.in.DeleteUserUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.UserId;

/** Deletes a user; the database cascades to its sessions and their claims. */
public final class DeleteUserService implements DeleteUserUseCase {
    private final UserRepository users;

    public DeleteUserService(UserRepository users) {
        this.users = users;
    }

    @Override
    public void delete(UserId id) {
        if (!users.delete(id)) {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        }
    }
}
