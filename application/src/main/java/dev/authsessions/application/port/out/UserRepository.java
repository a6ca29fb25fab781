package dev.authsessions.application.port.out;

import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.util.Optional;

/** Stores users; deleting one deletes its sessions by cascade. */
public interface UserRepository {

    /** A user that exists and is not soft-deleted. */
    Optional<User> findById(UserId id);

    /**
     * Inserts or replaces the user's fields ({@code hasVerifiedFactor} is derived, not stored here).
     *
     * @return the stored user and whether it was created
     */
    Upserted upsert(User user);

    /** @return whether a user was deleted */
    boolean delete(UserId id);

    record Upserted(User user, boolean created) {
    }
}
