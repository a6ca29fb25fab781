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

        /** Status and error, never a token: what an assertion message may show. */
        String summary() {
            JsonNode body = raw.isEmpty() || !raw.startsWith("{") ? null : json();
            if (status < 400 || body == null) {
                return Integer.toString(status);
            }
            return status + " " + body.path("error_code").asText(body.path("error").asText()) + ": "
                    + body.path("msg").asText(body.path("error_description").asText());
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

    /** A refresh whose body carries more fields (e.g. {@code client_id}, {@code client_secret}) and extra headers. */
    Reply refresh(String refreshToken, Map<String, String> extraBody, Map<String, String> headers) {
        Map<String, String> body = new java.util.LinkedHashMap<>(extraBody);
        body.put("refresh_token", refreshToken);
        return json("POST", "/token?grant_type=refresh_token", body, headers);
    }

    /** {@code PUT /admin/users/{id}}; a null value in {@code fields} is sent as JSON null (it clears the field). */
    Reply putUser(UUID userId, Map<String, Object> fields) {
        return json("PUT", "/admin/users/" + userId, new java.util.HashMap<>(fields), admin());
    }

    /** {@code POST /admin/sessions} with the whole body as given, answer unchecked. */
    Reply tryStartSession(Map<String, Object> body) {
        return json("POST", "/admin/sessions", body, admin());
    }

    Reply registerFactor(UUID userId, UUID factorId) {
        return json("PUT", "/admin/users/" + userId + "/factors/" + factorId, Map.of("factor_type", "totp"), admin());
    }

    Reply removeFactor(UUID userId, UUID factorId) {
        return send("DELETE", "/admin/users/" + userId + "/factors/" + factorId, null, null, admin());
    }

    /** MFA step-up of a session with a TOTP factor. */
    Reply stepUp(UUID sessionId, UUID factorId) {
        return json("POST", "/admin/sessions/" + sessionId + "/mfa",
                Map.of("factor_id", factorId.toString(), "method", "totp"), admin());
    }

    Reply putOAuthClient(UUID clientId, Map<String, Object> fields) {
        return json("PUT", "/admin/oauth-clients/" + clientId, fields, admin());
    }

    Reply deleteOAuthClient(UUID clientId) {
        return send("DELETE", "/admin/oauth-clients/" + clientId, null, null, admin());
    }

    static Map<String, String> basic(String clientId, String clientSecret) {
        String pair = clientId + ":" + clientSecret;
        return Map.of("Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    Reply logout(String accessToken, String scope) {
        return send("POST", "/logout" + (scope == null ? "" : "?scope=" + scope), null, null, bearer(accessToken));
    }

    Reply user(String accessToken) {
        return send("GET", "/user", null, null, bearer(accessToken));
    }
}
