package dev.authsessions.adapters.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty refuses before they reach a route (a malformed URI, a bad Content-Length) get the
 * same JSON error shape as everything else instead of Jetty's HTML page, in the dated API's shape when
 * the request asked for it: Jetty hands such a request over without its headers, so the header is
 * taken from where {@link ApiVersionAwareConnectionFactory} noted it while parsing. Only the status's
 * reason phrase (or a message of our own) is used as the message: Jetty's own text may quote the request.
 */
final class JettyErrorResponses extends ErrorHandler {

    /** Jetty writes a body only for GET, POST and HEAD by default; a refused PUT or DELETE needs its JSON error too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause, Callback callback)
            throws IOException {
        // An unknown HTTP version is malformed input like any other: a 4xx, not a server error.
        int code = status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 ? HttpStatus.BAD_REQUEST_400 : status;
        String reason = cause instanceof ApiVersionAwareConnectionFactory.MalformedTarget
                ? ApiVersionAwareConnectionFactory.MalformedTarget.MESSAGE : HttpStatus.getMessage(status);
        write(request, response, callback, code, ErrorResponses.errorCodeOf(code), reason == null ? "Error" : reason);
    }

    /**
     * An error in the shape the client asked for, written below the routes (by Jetty or a handler in front of
     * them). A request Jetty refused while parsing comes without its headers; the API version is then the one
     * {@link ApiVersionAwareConnectionFactory} noted.
     */
    static void write(Request request, Response response, Callback callback, int status, String errorCode, String message)
            throws IOException {
        response.setStatus(status);
        boolean dated = ErrorResponses.usesDatedApi(request.getHeaders().get(ErrorResponses.API_VERSION_HEADER))
                || request.getConnectionMetaData().getAttribute(ApiVersionAwareConnectionFactory.API_VERSION_ATTRIBUTE)
                        instanceof String noted && ErrorResponses.usesDatedApi(noted);
        byte[] body = Json.MAPPER.writeValueAsBytes(ErrorResponses.body(status, errorCode, message, null, dated));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(ErrorResponses.ERROR_CODE_HEADER, errorCode);
        if (dated) {
            response.getHeaders().put(ErrorResponses.API_VERSION_HEADER, ErrorResponses.DATED_API_VERSION);
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
