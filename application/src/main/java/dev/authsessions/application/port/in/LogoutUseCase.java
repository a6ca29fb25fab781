package dev.authsessions.application.port.in;

import java.util.Locale;
import java.util.Optional;

/** Signs out: this session, the caller's other sessions, or all of them. */
public interface LogoutUseCase {

    void logout(AuthenticateUseCase.Caller caller, Scope scope);

    /** The {@code scope} query parameter of {@code POST /logout}. */
    enum Scope {
        GLOBAL, LOCAL, OTHERS;

        public static Optional<Scope> fromValue(String value) {
            for (Scope scope : values()) {
                if (scope.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return Optional.of(scope);
                }
            }
            return Optional.empty();
        }
    }
}
