package dev.authsessions.adapters.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.authsessions.application.port.in.TokenGrant;
import io.javalin.http.Context;

/** GoTrue's token response; {@code session} only when an admin started the session. */
@JsonPropertyOrder({"access_token", "token_type", "expires_in", "expires_at", "refresh_token", "user", "session"})
record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("expires_at") long expiresAt,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("user") UserResponse user,
        @JsonProperty("session") @JsonInclude(JsonInclude.Include.NON_NULL) SessionResponse session) {

    static TokenResponse of(TokenGrant grant) {
        return new TokenResponse(grant.accessToken(), "bearer", grant.expiresInSeconds(), grant.expiresAt().getEpochSecond(),
                grant.refreshToken(), UserResponse.of(grant.user()), null);
    }

    static TokenResponse withSession(TokenGrant grant) {
        TokenResponse plain = of(grant);
        return new TokenResponse(plain.accessToken(), plain.tokenType(), plain.expiresIn(), plain.expiresAt(), plain.refreshToken(),
                plain.user(), SessionResponse.of(grant.session()));
    }

    /**
     * What every answer carrying a new token pair says besides its body: never cache it, and which
     * session, user and (for a v2 token) counter it is about.
     */
    static void writeSessionHeaders(Context ctx, TokenGrant grant) {
        ctx.header("Cache-Control", "no-store");
        RequestLog.sessionId(ctx, grant.session().id());
        ctx.header("sb-auth-session-id", grant.session().id().toString());
        ctx.header("sb-auth-user-id", grant.user().id().toString());
        if (!grant.legacy()) {
            // A v1 token has no counter; GoTrue sends none with it.
            ctx.header("sb-auth-refresh-token-counter", Long.toString(grant.session().refreshTokenCounter()));
        }
    }

    @Override
    public String toString() {
        return "TokenResponse[redacted]";
    }
}
