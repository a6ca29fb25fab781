package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.InvalidScopesException;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The body of {@code POST /admin/sessions}: who signed in and how. {@code user_agent} and {@code ip}
 * are the end user's, as the login service reports them, never this request's own. Text with NUL
 * is refused (by {@link JsonFields}), as PostgreSQL cannot store it.
 */
record StartSessionRequest(
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

    /** Tags name a kind of client ({@code AUTH_SESSIONS_TAGS}); nothing longer is a name. */
    static final int MAX_TAG_CHARACTERS = 255;

    private static final String METHODS =
            Arrays.stream(AuthenticationMethod.values()).map(AuthenticationMethod::value).collect(Collectors.joining(", "));
    private static final String AALS = Arrays.stream(Aal.values()).map(Aal::value).collect(Collectors.joining(", "));

    static StartSessionRequest from(JsonFields fields) {
        JsonFields body = fields.only("user_id", "authentication_method", "aal", "factor_id", "not_after", "user_agent", "ip",
                "tag", "oauth_client_id", "scopes");
        UserId userId = body.requiredUuid("user_id", UserId::parse);
        AuthenticationMethod method = body.oneOf("authentication_method", AuthenticationMethod::fromValue, METHODS)
                .orElseThrow(() -> Rejection.validation("authentication_method is required"));
        String ip = body.string("ip").orElse(null);
        if (ip != null && IpLiteral.parse(ip).isEmpty()) {
            throw Rejection.validation("ip must be an IPv4 or IPv6 address");
        }
        return new StartSessionRequest(
                userId,
                method,
                body.oneOf("aal", Aal::fromValue, AALS).orElse(null),
                body.uuid("factor_id", FactorId::parse).orElse(null),
                body.instant("not_after").orElse(null),
                UserAgent.recorded(body.string("user_agent").orElse(null)),
                ip,
                body.string("tag", MAX_TAG_CHARACTERS).orElse(null),
                body.uuid("oauth_client_id", OAuthClientId::parse).orElse(null),
                scopesOf(body));
    }

    /** The domain's own rule decides what scopes can be granted; its message names the field. */
    private static Scopes scopesOf(JsonFields body) {
        try {
            return Scopes.parse(body.string("scopes").orElse(null));
        } catch (InvalidScopesException e) {
            throw Rejection.validation(e.getMessage());
        }
    }

    StartSessionUseCase.Command toCommand() {
        return new StartSessionUseCase.Command(userId, method, aal, factorId, notAfter, userAgent, ip, tag, oauthClientId, scopes);
    }
}
