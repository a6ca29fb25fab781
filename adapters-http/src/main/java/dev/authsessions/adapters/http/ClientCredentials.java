package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.domain.OAuthClientId;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The OAuth client credentials a refresh carries: HTTP Basic ({@code client_id:client_secret}, as
 * Go's {@code BasicAuth} reads it, without URL-decoding) or {@code client_id}/{@code client_secret}
 * body fields. Anything malformed is OAuth's {@code invalid_client}.
 */
record ClientCredentials(OAuthClientId clientId, String clientSecret) {
    private static final String SCHEME = "Basic ";

    static ClientCredentials of(Context ctx, JsonFields body) {
        String headerId = null;
        String headerSecret = null;
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(SCHEME.length()).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidClient("The Basic Authorization header is not valid base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw invalidClient("The Basic Authorization header must hold client_id:client_secret");
            }
            headerId = decoded.substring(0, colon);
            headerSecret = decoded.substring(colon + 1);
        }
        String bodyId = field(body, "client_id");
        String bodySecret = field(body, "client_secret");
        if (headerId != null && bodyId != null && !headerId.equals(bodyId)) {
            throw invalidClient("client_id in the body does not match the Authorization header");
        }
        String id = headerId != null ? headerId : bodyId;
        String secret = headerSecret != null ? headerSecret : bodySecret;
        if (id == null || id.isEmpty()) {
            if (secret != null && !secret.isEmpty()) {
                throw invalidClient("client_secret was sent without a client_id");
            }
            return new ClientCredentials(null, null);
        }
        try {
            return new ClientCredentials(OAuthClientId.parse(id), secret == null || secret.isEmpty() ? null : secret);
        } catch (IllegalArgumentException e) {
            throw invalidClient("client_id is not a valid client id");
        }
    }

    private static String field(JsonFields body, String name) {
        try {
            return body.string(name).orElse(null);
        } catch (Rejection e) {
            throw invalidClient(e.getMessage());
        }
    }

    private static Rejection invalidClient(String message) {
        return Rejection.badRequest(ErrorCode.INVALID_CLIENT, message);
    }

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", secret=" + (clientSecret == null ? "none" : "redacted") + "]";
    }
}
