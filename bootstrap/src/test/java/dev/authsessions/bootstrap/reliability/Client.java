package dev.authsessions.bootstrap.reliability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A keep-alive HTTP/1.1 client of one service instance, speaking the wire format as Supabase's client libraries do. */
final class Client {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private final String adminKey;

    Client(int port, String adminKey) {
        this.base = "http://127.0.0.1:" + port;
        this.adminKey = adminKey;
    }

    /** One answer; {@link #json()} parses the body. */
    record Reply(int status, Map<String, List<String>> headers, String raw) {
        JsonNode json() {
            try {
                return raw.isEmpty() ? JSON.missingNode() : JSON.readTree(raw);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + raw, e);
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

        String refreshToken() {
            return json().path("refresh_token").asText(null);
        }

        String accessToken() {
            return json().path("access_token").asText(null);
        }

        /** {@code sb-auth-refresh-token-counter}: the counter of the refresh token in this answer. */
        long counter() {
            String value = header("sb-auth-refresh-token-counter");
            if (value == null) {
                throw new AssertionError("no sb-auth-refresh-token-counter header (" + status + "): " + raw);
            }
            return Long.parseLong(value);
        }

        boolean reused() {
            return "true".equals(header("sb-auth-refresh-token-reuse"));
        }

        /** The {@code aal} claim of the access token in this answer (read, not verified). */
        String aal() {
            return Jwts.payloadOf(accessToken()).path("aal").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + (raw.length() > 300 ? raw.substring(0, 300) + "…" : raw);
        }
    }

    /** A session as {@code POST /admin/sessions} started it. */
    record Grant(UUID userId, UUID sessionId, String accessToken, String refreshToken) {
        static Grant of(JsonNode body) {
            return new Grant(UUID.fromString(body.path("user").path("id").asText()),
                    UUID.fromString(body.path("session").path("id").asText()),
                    body.path("access_token").asText(), body.path("refresh_token").asText());
        }
    }

    Reply send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Map<String, String> admin() {
        return Map.of("Authorization", "Bearer " + adminKey);
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    UUID createUser() {
        UUID id = UUID.randomUUID();
        Reply reply = json("PUT", "/admin/users/" + id, Map.of("email", id + "@example.com"), admin());
        if (reply.status() != 201) {
            throw new AssertionError("creating a user: " + reply);
        }
        return id;
    }

    Grant startSession(UUID userId) {
        return startSession(userId, Map.of());
    }

    Grant startSession(UUID userId, Map<String, Object> extra) {
        ObjectNode body = JSON.createObjectNode();
        body.put("user_id", userId.toString());
        body.put("authentication_method", "password");
        extra.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        Reply reply = json("POST", "/admin/sessions", body, admin());
        if (reply.status() != 201) {
            throw new AssertionError("starting a session: " + reply);
        }
        return Grant.of(reply.json());
    }

    UUID createOAuthClient(String type, String secret) {
        UUID id = UUID.randomUUID();
        Map<String, Object> body = secret == null ? Map.of("client_name", "reliability", "client_type", type)
                : Map.of("client_name", "reliability", "client_type", type, "client_secret", secret);
        Reply reply = json("PUT", "/admin/oauth-clients/" + id, body, admin());
        if (reply.status() != 201) {
            throw new AssertionError("creating an OAuth client: " + reply);
        }
        return id;
    }

    void registerFactor(UUID userId, UUID factorId, String type) {
        Reply reply = json("PUT", "/admin/users/" + userId + "/factors/" + factorId, Map.of("factor_type", type), admin());
        if (reply.status() != 201) {
            throw new AssertionError("registering a factor: " + reply);
        }
    }

    Reply refresh(String refreshToken) {
        return json("POST", "/token?grant_type=refresh_token", Map.of("refresh_token", refreshToken), Map.of());
    }

    Reply refreshAsClient(String refreshToken, UUID clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return json("POST", "/token?grant_type=refresh_token", Map.of("refresh_token", refreshToken),
                Map.of("Authorization", "Basic " + basic));
    }

    Reply stepUp(UUID sessionId, UUID factorId, String method) {
        return json("POST", "/admin/sessions/" + sessionId + "/mfa", Map.of("factor_id", factorId.toString(), "method", method),
                admin());
    }

    Reply logout(String accessToken, String scope) {
        return send("POST", "/logout" + (scope == null ? "" : "?scope=" + scope), null, null, bearer(accessToken));
    }

    Reply user(String accessToken) {
        return send("GET", "/user", null, null, bearer(accessToken));
    }
}
