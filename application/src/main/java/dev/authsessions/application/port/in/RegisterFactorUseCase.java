package dev.authsessions.application.port.in;

import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.UserId;
import java.util.Objects;

/**
 * An operator marks a user as enrolled in MFA: the factor is stored as verified, so aal2 becomes
 * the user's highest possible level (and the low-AAL grace rule applies to their aal1 sessions).
 */
public interface RegisterFactorUseCase {

    /**
     * @throws Rejection {@code user_not_found}; {@code validation_failed} when the id is a factor of another
     *                   user or of another type
     */
    Result register(Command command);

    record Command(UserId userId, FactorId factorId, FactorType type) {
        public Command {
            Objects.requireNonNull(userId, "user id");
            Objects.requireNonNull(factorId, "factor id");
            Objects.requireNonNull(type, "factor type");
        }
    }

    record Result(MfaFactor factor, boolean created) {
    }
}
