package dev.authsessions.application.port.in;

import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * A use case refused the request: nothing was changed unless the rule itself says so (a reused
 * refresh token ends its session). {@link Kind} says what sort of refusal it is; the HTTP adapter
 * maps it to a status in one place. Messages never contain a token, key or secret. A refusal may name
 * the user and the session it is about ({@link #concerning}), so a client learns which session a
 * refused refresh token belongs to, as GoTrue tells it.
 */
public final class Rejection extends RuntimeException {

    /** The sort of refusal. */
    public enum Kind { BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT }

    private final Kind kind;
    private final ErrorCode code;
    private final UserId userId;
    private final SessionId sessionId;

    public Rejection(Kind kind, ErrorCode code, String message) {
        this(kind, code, message, null, null);
    }

    private Rejection(Kind kind, ErrorCode code, String message, UserId userId, SessionId sessionId) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = Objects.requireNonNull(code, "code");
        this.userId = userId;
        this.sessionId = sessionId;
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

    /** The same refusal, naming the user and (when known) the session it is about. */
    public Rejection concerning(UserId user, SessionId session) {
        return new Rejection(kind, code, getMessage(), Objects.requireNonNull(user, "user"), session);
    }

    public Optional<UserId> userId() {
        return Optional.ofNullable(userId);
    }

    public Optional<SessionId> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    public Kind kind() {
        return kind;
    }

    public ErrorCode code() {
        return code;
    }
}
