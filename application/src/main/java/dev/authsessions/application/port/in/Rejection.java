package dev.authsessions.application.port.in;

import java.util.Objects;

/**
 * A use case refused the request: nothing was changed unless the rule itself says so (a reused
 * refresh token ends its session). {@link Kind} says what sort of refusal it is; the HTTP adapter
 * maps it to a status in one place. Messages never contain a token, key or secret.
 */
public final class Rejection extends RuntimeException {

    /** The sort of refusal. */
    public enum Kind { BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT }

    private final Kind kind;
    private final ErrorCode code;

    public Rejection(Kind kind, ErrorCode code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = Objects.requireNonNull(code, "code");
    }

    public static Rejection badRequest(ErrorCode code, String message) {
        return new Rejection(Kind.BAD_REQUEST, code, message);
    }

    public static Rejection notFound(ErrorCode code, String message) {
        return new Rejection(Kind.NOT_FOUND, code, message);
    }

    public static Rejection forbidden(ErrorCode code, String message) {
        return new Rejection(Kind.FORBIDDEN, code, message);
    }

    public static Rejection validation(String message) {
        return badRequest(ErrorCode.VALIDATION_FAILED, message);
    }

    public Kind kind() {
        return kind;
    }

    public ErrorCode code() {
        return code;
    }
}
