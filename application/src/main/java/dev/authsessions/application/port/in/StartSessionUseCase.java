package dev.authsessions.application.port.in;

import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Objects;

/** The trusted login service says a user has just authenticated: start a session and hand out its first tokens. */
public interface StartSessionUseCase {

    TokenGrant start(Command command);

    record Command(
            UserId userId,
            AuthenticationMethod method,
            Aal aal,
            FactorId factorId,
            Instant notAfter,
            String userAgent,
            String ip,
            String tag,
            OAuthClientId oauthClientId,
            Scopes scopes) {
        public Command {
            Objects.requireNonNull(userId, "user id");
            Objects.requireNonNull(method, "authentication method");
            aal = aal == null ? Aal.AAL1 : aal;
        }
    }
}
