package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.domain.InvalidRefreshTokenException;
import dev.authsessions.domain.LegacyRefreshToken;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.ReuseCause;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.stream.Collectors;

/** {@code POST /token}: the refresh-token grant, in GoTrue's wire format. */
final class TokenRoutes {
    private static final String REFRESH_TOKEN_GRANT = "refresh_token";

    private final RefreshSessionUseCase refreshSession;
    private final RequestBodies bodies;
    private final ClientAddress clientAddress;

    TokenRoutes(RefreshSessionUseCase refreshSession, RequestBodies bodies, ClientAddress clientAddress) {
        this.refreshSession = refreshSession;
        this.bodies = bodies;
        this.clientAddress = clientAddress;
    }

    void register(RoutesConfig routes) {
        routes.post("/token", this::token);
    }

    private void token(Context ctx) {
        String queryGrant = QueryParameters.reading(ctx, "grant_type").get("grant_type").orElse(null);
        if (queryGrant != null) {
            checkGrant(queryGrant);
        }
        JsonFields body = bodies.jsonOrForm(ctx);
        if (queryGrant == null) {
            checkGrant(body.string("grant_type").orElseThrow(() -> Rejection.validation(
                    "grant_type is required; this server supports grant_type=refresh_token")));
        }
        String refreshToken = body.requiredString("refresh_token");
        noteClaimedSession(ctx, refreshToken);
        ClientCredentials client = ClientCredentials.of(ctx, body);
        TokenGrant grant = refreshSession.refresh(new RefreshSessionUseCase.Command(
                refreshToken, UserAgent.of(ctx), clientAddress.of(ctx), client.clientId(), client.clientSecret()));
        TokenResponse.writeSessionHeaders(ctx, grant);
        boolean presentedLegacy = LegacyRefreshToken.hasLegacyLength(refreshToken);
        // GoTrue answers a v1 token's revoked parent with the active token and no reuse headers at all.
        if (!(presentedLegacy && grant.legacy() && grant.reused())) {
            ctx.header("sb-auth-refresh-token-reuse", Boolean.toString(grant.reused()));
        }
        if (grant.reused() && !grant.reuseCauses().isEmpty()) {
            ctx.header("sb-auth-refresh-token-reuse-cause",
                    grant.reuseCauses().stream().map(ReuseCause::value).collect(Collectors.joining(",")));
        }
        if (presentedLegacy) {
            // GoTrue reports the first five characters of the token a v1 refresh answers with.
            ctx.header("sb-auth-refresh-token-prefix", grant.refreshToken().substring(0, 5));
        }
        Json.write(ctx, 200, TokenResponse.of(grant));
    }

    /**
     * The session a well-formed token names, for the log line even when the refresh is refused (a reuse,
     * an expiry). Only the session id is noted: it is not a secret, the token is.
     */
    private static void noteClaimedSession(Context ctx, String refreshToken) {
        try {
            RequestLog.sessionId(ctx, RefreshToken.parse(refreshToken).sessionId());
        } catch (InvalidRefreshTokenException malformed) {
            // The use case refuses it; nothing to note.
        }
    }

    private static void checkGrant(String grantType) {
        if (grantType.isEmpty()) {
            throw Rejection.validation("grant_type is required; this server supports grant_type=refresh_token");
        }
        if (!REFRESH_TOKEN_GRANT.equals(grantType)) {
            throw Rejection.validation("Unsupported grant_type; this server supports grant_type=refresh_token");
        }
    }
}
