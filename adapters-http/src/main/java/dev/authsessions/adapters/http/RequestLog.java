package dev.authsessions.adapters.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One INFO line per request: method, route template (never the raw path or a header), status, duration. */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    private RequestLog() {
    }

    static void log(Context ctx, Float millis) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} {} {}ms", ctx.method(), routeOf(ctx), ctx.statusCode(), String.format("%.1f", millis));
        }
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
