package dev.authsessions.application.port.out;

import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Signs access tokens (JWTs) and publishes the keys that verify them. */
public interface AccessTokenSigner {

    String sign(Claims claims);

    /** The JWK set of public verification keys; never a symmetric key. */
    Map<String, Object> publicJwks();

    /** The content of an access token; {@code amr} is newest first; client and scope only for OAuth sessions. */
    record Claims(
            User user,
            SessionId sessionId,
            Aal aal,
            List<AmrClaim> amr,
            Instant issuedAt,
            Instant expiresAt,
            OAuthClientId clientId,
            Scopes scope) {
        public Claims {
            amr = List.copyOf(amr);
        }
    }
}
