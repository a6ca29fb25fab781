package dev.authsessions.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A small client of the running service, speaking plain HTTP as Supabase's client libraries do. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String adminKey;

    Api(int port, String adminKey) {
        this.base = "http://127.0.0.1:" + port;
        this.adminKey = adminKey;
    }

    /** A response with its body parsed as JSON (or null when empty). */
    record Reply(int status, Map<String, java.util.List<String>> headers, String raw) {
        JsonNode json() {
            try {
                return raw.isEmpty() ? null : JSON.readTree(raw);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + raw, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        String errorCode() {
            return json().path("error_code").asText(null);
        }
    }

    Reply send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply json(String method, String path, Object body, Map<String, String> headers) {
        try {
            return send(method, path, "application/json", body == null ? null : JSON.writeValueAsString(body), headers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Map<String, String> admin() {
        return Map.of("Authorization", "Bearer " + adminKey);
    }

    static Map<String, String> bearer(String accessToken) {
        return Map.of("Authorization", "Bearer " + accessToken);
    }

    UUID createUser() {
        UUID id = UUID.randomUUID();
        Reply reply = json("PUT", "/admin/users/" + id, Map.of("email", id + "@example.com"), admin());
        if (reply.status() != 201) {
            throw new AssertionError("creating a user: " + reply.status() + " " + reply.raw());
        }
        return id;
    }

    /** Starts a password session; returns the token response (with {@code session}). */
    JsonNode startSession(UUID userId) {
        return startSession(userId, Map.of());
    }

    JsonNode startSession(UUID userId, Map<String, Object> extra) {
        ObjectNode body = JSON.createObjectNode();
        body.put("user_id", userId.toString());
        body.put("authentication_method", "password");
        extra.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        Reply reply = json("POST", "/admin/sessions", body, admin());
        if (reply.status() != 201) {
            throw new AssertionError("starting a session: " + reply.status() + " " + reply.raw());
        }
        return reply.json();
    }

    Reply refresh(String refreshToken) {
        return json("POST", "/token?grant_type=refresh_token", Map.of("refresh_token", refreshToken), Map.of());
    }

    Reply logout(String accessToken, String scope) {
        return send("POST", "/logout" + (scope == null ? "" : "?scope=" + scope), null, null, bearer(accessToken));
    }

    Reply user(String accessToken) {
        return send("GET", "/user", null, null, bearer(accessToken));
    }
}
