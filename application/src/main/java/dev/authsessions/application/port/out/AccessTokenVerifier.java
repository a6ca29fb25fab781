package dev.authsessions.application.port.out;

import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Optional;

/** Verifies access tokens this service signed. */
public interface AccessTokenVerifier {

    /** The token's subject and session if its signature verifies and {@code now} is within its validity ({@code nbf} to {@code exp}). */
    Optional<Verified> verify(String accessToken, Instant now);

    record Verified(UserId userId, SessionId sessionId, Instant expiresAt) {
    }
}
