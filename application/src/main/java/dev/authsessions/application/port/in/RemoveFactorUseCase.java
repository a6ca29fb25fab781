package dev.authsessions.application.port.in;

import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.UserId;

/** Removes a user's MFA factor; the sessions stepped up with it go back to aal1 and lose its AMR claims. */
public interface RemoveFactorUseCase {

    /** @throws Rejection {@code user_not_found}; {@code mfa_factor_not_found} when the user has no such factor */
    void remove(UserId userId, FactorId factorId);
}
