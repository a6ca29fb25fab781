package dev.authsessions.application.service;

import dev.authsessions.application.port.in.DeleteUserUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.UserId;

/** Deletes a user; the database cascades to its sessions and their claims. */
public final class DeleteUserService implements DeleteUserUseCase {
    private final UserRepository users;
    private final GoTrueOwnedTables ownership;

    public DeleteUserService(UserRepository users, DatabaseMode mode) {
        this.users = users;
        this.ownership = new GoTrueOwnedTables(mode);
    }

    @Override
    public void delete(UserId id) {
        ownership.requireWritable(GoTrueOwnedTables.Table.USERS);
        if (!users.delete(id)) {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        }
    }
}
