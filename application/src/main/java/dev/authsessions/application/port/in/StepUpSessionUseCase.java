package dev.authsessions.application.port.in;

import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.SessionId;
import java.util.Objects;

/**
 * The user has just verified a second factor for a session: raise it to aal2, move its refresh
 * tokens to a new epoch, end the user's other lower-AAL sessions and hand out a new token pair.
 */
public interface StepUpSessionUseCase {

    /**
     * @throws Rejection {@code validation_failed} for a method that is not a second factor or a factor id
     *                   of another user or type; {@code session_not_found}; {@code user_banned};
     *                   {@code session_expired}
     */
    TokenGrant stepUp(Command command);

    /** {@code method} must be a second factor: {@code totp}, {@code mfa/phone} or {@code mfa/webauthn}. */
    record Command(SessionId sessionId, FactorId factorId, AuthenticationMethod method) {
        public Command {
            Objects.requireNonNull(sessionId, "session id");
            Objects.requireNonNull(factorId, "factor id");
            Objects.requireNonNull(method, "authentication method");
        }
    }
}
