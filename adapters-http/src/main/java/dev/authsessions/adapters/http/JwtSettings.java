package dev.authsessions.adapters.http;

import java.util.Objects;
import java.util.Optional;

/**
 * How access tokens are signed: a JWK set with private keys, an HS256 secret, or neither, in which
 * case a fresh ES256 key is generated at start (tokens then die with the process; the caller warns).
 */
public record JwtSettings(Optional<String> jwkSetJson, Optional<String> hmacSecret, String issuer) {

    public JwtSettings {
        Objects.requireNonNull(jwkSetJson, "jwkSetJson");
        Objects.requireNonNull(hmacSecret, "hmacSecret");
        Objects.requireNonNull(issuer, "issuer");
        if (issuer.length() > AccessTokenLimits.MAX_ISSUER_CHARS) {
            throw new IllegalArgumentException("the issuer (iss) must be at most " + AccessTokenLimits.MAX_ISSUER_CHARS + " characters");
        }
        if (jwkSetJson.isPresent() && hmacSecret.isPresent()) {
            throw new IllegalArgumentException("configure either a JWK set or an HS256 secret for access tokens, not both");
        }
    }

    /** Neither a key set nor a secret: a key is generated at start and lost at exit. */
    public boolean generatesKey() {
        return jwkSetJson.isEmpty() && hmacSecret.isEmpty();
    }

    @Override
    public String toString() {
        return "JwtSettings[jwkSet=" + (jwkSetJson.isPresent() ? "set" : "unset")
                + ", hmacSecret=" + (hmacSecret.isPresent() ? "set" : "unset") + ", issuer=" + issuer + "]";
    }
}
