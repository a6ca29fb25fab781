package dev.authsessions.adapters.http;

/**
 * A request refused at the HTTP level, before any use case: no such route, wrong method, body
 * too large. Carries its status and wire error code; mapped by {@link ErrorResponses}.
 */
final class HttpProblem extends RuntimeException {
    private final int status;
    private final String errorCode;

    HttpProblem(int status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    static HttpProblem tooLarge(int maxBytes) {
        return new HttpProblem(413, "validation_failed", "Request body is larger than " + maxBytes + " bytes");
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }
}
