package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.StorageConflictException;
import dev.authsessions.application.port.out.StorageConstraintException;
import dev.authsessions.application.port.out.StorageUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers, in GoTrue's shapes: {@code {code, error_code, msg}}
 * by default, {@code {code: "<error_code>", message}} for clients on the dated API (header
 * {@code X-Supabase-Api-Version} at or after 2024-01-01), OAuth's {@code {error, error_description}}
 * for client authentication. Every error carries {@code x-sb-error-code}.
 */
final class ErrorResponses {
    static final String API_VERSION_HEADER = "X-Supabase-Api-Version";
    static final String ERROR_CODE_HEADER = "x-sb-error-code";
    static final String DATED_API_VERSION = "2024-01-01";

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private static final LocalDate FIRST_DATED_API = LocalDate.parse(DATED_API_VERSION);
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private ErrorResponses() {
    }

    static void register(RoutesConfig routes) {
        routes.exception(Rejection.class, ErrorResponses::rejection);
        routes.exception(HttpProblem.class, (e, ctx) -> write(ctx, e.status(), e.errorCode(), e.getMessage(), null));
        routes.exception(HttpResponseException.class, ErrorResponses::framework);
        routes.exception(StorageUnavailableException.class, ErrorResponses::storageUnavailable);
        routes.exception(StorageConflictException.class, (e, ctx) -> write(ctx, 409, ErrorCode.CONFLICT.value(),
                "Too many concurrent requests on the same session, please retry", null));
        routes.exception(StorageConstraintException.class, ErrorResponses::constraint);
        routes.exception(Exception.class, ErrorResponses::unexpected);
    }

    /** Whether the client asked for the dated API, and so for the newer error shape and the echoed header. */
    static boolean usesDatedApi(Context ctx) {
        return usesDatedApi(ctx.header(API_VERSION_HEADER));
    }

    static boolean usesDatedApi(String requested) {
        if (requested == null || !DATE.matcher(requested.trim()).matches()) {
            return false;
        }
        try {
            return !LocalDate.parse(requested.trim()).isBefore(FIRST_DATED_API);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Every answer to a dated-API request, success or failure, says which version it speaks. */
    static void echoApiVersion(Context ctx) {
        if (usesDatedApi(ctx)) {
            ctx.header(API_VERSION_HEADER, DATED_API_VERSION);
        }
    }

    static int statusOf(Rejection.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
        };
    }

    private static void rejection(Rejection rejection, Context ctx) {
        // GoTrue names the user and session a refused refresh token led to, for the client's own bookkeeping.
        rejection.userId().ifPresent(user -> ctx.header("sb-auth-user-id", user.toString()));
        rejection.sessionId().ifPresent(session -> ctx.header("sb-auth-session-id", session.toString()));
        if (rejection.code() == ErrorCode.INVALID_CLIENT) {
            echoApiVersion(ctx);
            ctx.header(ERROR_CODE_HEADER, ErrorCode.INVALID_CLIENT.value());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", ErrorCode.INVALID_CLIENT.value());
            body.put("error_description", rejection.getMessage());
            Json.write(ctx, 400, body);
            return;
        }
        write(ctx, statusOf(rejection.kind()), rejection.code().value(), rejection.getMessage(), null);
    }

    /** Javalin's own refusals: no route, wrong method, body over its limit. */
    private static void framework(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        if (status == 404) {
            write(ctx, 404, errorCodeOf(404), "No such endpoint", null);
        } else if (status == 405) {
            write(ctx, 405, errorCodeOf(405), "Method not allowed on this endpoint", null);
        } else if (status == 413) {
            write(ctx, 413, errorCodeOf(413), "Request body is too large", null);
        } else if (status >= 400 && status < 500) {
            write(ctx, status, errorCodeOf(status), "The request could not be processed", null);
        } else {
            unexpected(e, ctx);
        }
    }

    /** 503 either way: the database could not be reached, or did not answer in time. The client may retry. */
    private static void storageUnavailable(StorageUnavailableException e, Context ctx) {
        LOG.warn("storage unavailable on {} {}: {}", ctx.method(), RequestLog.routeOf(ctx), e.getMessage());
        if (e.timedOut()) {
            write(ctx, 503, ErrorCode.REQUEST_TIMEOUT.value(), "Processing this request timed out, please retry", null);
        } else {
            write(ctx, 503, ErrorCode.SERVICE_UNAVAILABLE.value(), "Service temporarily unavailable, please retry", null);
        }
    }

    /**
     * The database refused a write, almost always because a concurrent request changed what the service had
     * checked: answered as the service would have answered had it seen the change (the user is gone: 404
     * {@code user_not_found}), a duplicate as a 409. Nothing was written either way.
     */
    private static void constraint(StorageConstraintException e, Context ctx) {
        switch (e.violation()) {
            case USER_GONE -> write(ctx, 404, ErrorCode.USER_NOT_FOUND.value(), "User not found", null);
            case OAUTH_CLIENT_GONE -> write(ctx, 404, ErrorCode.OAUTH_CLIENT_NOT_FOUND.value(), "OAuth client not found", null);
            case SESSION_GONE -> write(ctx, 404, ErrorCode.SESSION_NOT_FOUND.value(), "Session not found", null);
            case DUPLICATE -> write(ctx, 409, ErrorCode.CONFLICT.value(),
                    "The row this request writes already exists (a concurrent request wrote it); nothing was changed", null);
            case REFERENCE_BROKEN -> {
                LOG.warn("a foreign key refused a write on {} {}: {}", ctx.method(), RequestLog.routeOf(ctx), e.constraint());
                write(ctx, 409, ErrorCode.CONFLICT.value(),
                        "A row this request refers to was changed by a concurrent request; nothing was changed, please retry", null);
            }
            case INVALID_VALUE -> {
                LOG.warn("the database refused a value on {} {}: {}", ctx.method(), RequestLog.routeOf(ctx), e.constraint());
                write(ctx, 400, ErrorCode.VALIDATION_FAILED.value(), "A value of the request cannot be stored; nothing was changed", null);
            }
            default -> unexpected(e, ctx);
        }
    }

    private static void unexpected(Exception e, Context ctx) {
        String errorId = UUID.randomUUID().toString();
        RequestLog.errorId(ctx, errorId);
        LOG.error("unexpected failure error_id={} on {} {}", errorId, ctx.method(), RequestLog.routeOf(ctx), e);
        write(ctx, 500, ErrorCode.UNEXPECTED_FAILURE.value(),
                "Unexpected failure, please check server logs for more information", errorId);
    }

    private static void write(Context ctx, int status, String errorCode, String message, String errorId) {
        boolean dated = usesDatedApi(ctx);
        ctx.header(ERROR_CODE_HEADER, errorCode);
        if (dated) {
            ctx.header(API_VERSION_HEADER, DATED_API_VERSION);
        }
        Json.write(ctx, status, body(status, errorCode, message, errorId, dated));
    }

    /** The error body in the shape the client asked for. */
    static Map<String, Object> body(int status, String errorCode, String message, String errorId, boolean datedApi) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (datedApi) {
            body.put("code", errorCode);
            body.put("message", message);
        } else {
            body.put("code", status);
            body.put("error_code", errorCode);
            body.put("msg", message);
        }
        if (errorId != null) {
            body.put("error_id", errorId);
        }
        return body;
    }

    /** The error code for a bare HTTP status, when the refusal came from below the routes. */
    static String errorCodeOf(int status) {
        if (status == 404) {
            return "not_found";
        }
        if (status == 405) {
            return "method_not_allowed";
        }
        return status >= 500 ? ErrorCode.UNEXPECTED_FAILURE.value() : ErrorCode.VALIDATION_FAILED.value();
    }
}
