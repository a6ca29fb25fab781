package dev.authsessions.application.port.in;

/** The stable error codes of SPEC §6, as they appear on the wire. */
public enum ErrorCode {
    VALIDATION_FAILED("validation_failed"),
    BAD_JSON("bad_json"),
    REFRESH_TOKEN_NOT_FOUND("refresh_token_not_found"),
    REFRESH_TOKEN_ALREADY_USED("refresh_token_already_used"),
    SESSION_NOT_FOUND("session_not_found"),
    SESSION_EXPIRED("session_expired"),
    USER_BANNED("user_banned"),
    USER_NOT_FOUND("user_not_found"),
    OAUTH_CLIENT_NOT_FOUND("oauth_client_not_found"),
    /** GoTrue's code for an MFA factor that does not exist (or is not the user's). */
    FACTOR_NOT_FOUND("mfa_factor_not_found"),
    NO_AUTHORIZATION("no_authorization"),
    BAD_JWT("bad_jwt"),
    CONFLICT("conflict"),
    /** Beside Supabase Auth, a write to a table GoTrue owns (users, factors, OAuth clients): GoTrue's to make. */
    MANAGED_BY_GOTRUE("managed_by_gotrue"),
    OVER_REQUEST_RATE_LIMIT("over_request_rate_limit"),
    REQUEST_TIMEOUT("request_timeout"),
    SERVICE_UNAVAILABLE("service_unavailable"),
    UNEXPECTED_FAILURE("unexpected_failure"),
    /** OAuth's own error for client authentication; answered in OAuth's error shape. */
    INVALID_CLIENT("invalid_client");

    private final String value;

    ErrorCode(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
