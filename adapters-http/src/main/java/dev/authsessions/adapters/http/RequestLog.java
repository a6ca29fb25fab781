package dev.authsessions.adapters.http;

import dev.authsessions.domain.SessionId;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One INFO line per request: method, route template (never the raw path, a query or a header), status,
 * duration, the session id when the request concerned one, and the {@code error_id} of a 500. The same
 * fields go along as SLF4J key-value pairs, for the JSON log format. Never a token, key or secret.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);
    private static final String SESSION_ID = "auth-sessions.session-id";
    private static final String ERROR_ID = "auth-sessions.error-id";

    private RequestLog() {
    }

    /** Notes which session the request concerned, for its log line. */
    static void sessionId(Context ctx, SessionId id) {
        ctx.attribute(SESSION_ID, id.toString());
    }

    /** Notes the error id of a 500, for its log line. */
    static void errorId(Context ctx, String errorId) {
        ctx.attribute(ERROR_ID, errorId);
    }

    static void log(Context ctx, Float millis) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String route = routeOf(ctx);
        String duration = oneDecimal(millis);
        String sessionId = ctx.attribute(SESSION_ID);
        String errorId = ctx.attribute(ERROR_ID);
        StringBuilder line = new StringBuilder()
                .append(ctx.method().name()).append(' ').append(route).append(' ').append(ctx.statusCode())
                .append(' ').append(duration).append("ms");
        LoggingEventBuilder event = LOG.atInfo()
                .addKeyValue("method", ctx.method().name())
                .addKeyValue("route", route)
                .addKeyValue("status", ctx.statusCode())
                .addKeyValue("duration_ms", duration);
        if (sessionId != null) {
            line.append(" session_id=").append(sessionId);
            event = event.addKeyValue("session_id", sessionId);
        }
        if (errorId != null) {
            line.append(" error_id=").append(errorId);
            event = event.addKeyValue("error_id", errorId);
        }
        event.log(line.toString());
    }

    /** {@code 12.3}: always a dot, whatever the default locale (String.format would write {@code 12,3} in some). */
    static String oneDecimal(float millis) {
        long tenths = Math.round(Math.max(0f, millis) * 10.0);
        return (tenths / 10) + "." + (tenths % 10);
    }

    /** The matched route's template ({@code /admin/users/{id}}), so ids and tokens in paths never reach the log. */
    static String routeOf(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint == null ? "(no route)" : endpoint.path;
        } catch (RuntimeException e) {
            return "(no route)";
        }
    }
}
