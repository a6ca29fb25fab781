package dev.authsessions.application.port.in;

import dev.authsessions.domain.OAuthClientId;

/** Exchanges a refresh token for a new token pair, applying rotation, reuse detection and the session rules. */
public interface RefreshSessionUseCase {

    TokenGrant refresh(Command command);

    /**
     * {@code clientId} and {@code clientSecret} are the OAuth client credentials the request
     * carried, if any.
     */
    record Command(String refreshToken, String userAgent, String ip, OAuthClientId clientId, String clientSecret) {
        @Override
        public String toString() {
            return "RefreshSessionUseCase.Command[redacted]";
        }
    }
}
