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
 * same JSON error shape as everything else instead of Jetty's HTML page. Only the status's reason
 * phrase is used as the message: Jetty's own text may quote the request.
 */
final class JettyErrorResponses extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        boolean dated = ErrorResponses.usesDatedApi(request.getHeaders().get(ErrorResponses.API_VERSION_HEADER));
        String errorCode = ErrorResponses.errorCodeOf(code);
        String reason = HttpStatus.getMessage(code);
        byte[] body = Json.MAPPER.writeValueAsBytes(ErrorResponses.body(code, errorCode, reason == null ? "Error" : reason, null, dated));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(ErrorResponses.ERROR_CODE_HEADER, errorCode);
        if (dated) {
            response.getHeaders().put(ErrorResponses.API_VERSION_HEADER, ErrorResponses.DATED_API_VERSION);
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
