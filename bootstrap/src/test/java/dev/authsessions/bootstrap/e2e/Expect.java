package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** The answers the session rules give, asserted in full: status, {@code error_code}, its header and GoTrue's message. */
final class Expect {
    private Expect() {
    }

    static JsonNode ok(Api.Reply reply) {
        assertEquals(200, reply.status(), reply.summary());
        return reply.json();
    }

    static void error(Api.Reply reply, int status, String errorCode, String message) {
        assertEquals(status, reply.status(), reply.summary());
        assertEquals(errorCode, reply.errorCode(), reply.summary());
        assertEquals(errorCode, reply.header("x-sb-error-code"), reply.summary());
        assertEquals(status, reply.json().path("code").asInt(), reply.summary());
        if (message != null) {
            assertEquals(message, reply.json().path("msg").asText(), reply.summary());
        }
    }

    static void sessionExpired(Api.Reply reply, String message) {
        error(reply, 400, "session_expired", message);
    }

    static void revokedByNewerLogin(Api.Reply reply) {
        sessionExpired(reply, "Invalid Refresh Token: Session Expired (Revoked by Newer Login)");
    }

    /** OAuth's own error shape for client authentication failures. */
    static void invalidClient(Api.Reply reply) {
        assertEquals(400, reply.status(), reply.summary());
        JsonNode body = reply.json();
        assertEquals("invalid_client", body.path("error").asText(), reply.summary());
        assertEquals("invalid_client", reply.header("x-sb-error-code"));
        assertEquals(false, body.path("error_description").asText().isBlank(), reply.summary());
        assertEquals(2, body.size(), "only error and error_description: " + reply.raw());
    }

    static UUID sessionIdOf(JsonNode grant) {
        return UUID.fromString(grant.path("session").path("id").asText());
    }
}
