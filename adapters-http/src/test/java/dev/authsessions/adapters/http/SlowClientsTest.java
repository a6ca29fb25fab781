package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.domain.RefreshToken;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, point 1: a few hundred clients that send a request slowly, or nothing at all, cost memory,
 * not request threads, and are cut off in bounded time while a healthy client is served. The server runs
 * with a request timeout of 2 s so that the test is quick, and with the default idle timeout (10 s), which
 * the trickling clients keep resetting with a byte every 250 ms, as an attacker would; only the test of
 * idle connections lowers it.
 */
class SlowClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SHORT_IDLE_TIMEOUT = Duration.ofSeconds(1);
    /** More than Jetty's 250 request threads. */
    private static final int SLOW_CLIENTS = 300;
    private static final long TRICKLE_MILLIS = 250;
    /** How long a healthy request may take meanwhile: generous, not a timing target. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    /** By when every slow client must have been answered or cut off: the bounds plus a wide margin. */
    private static final Duration CUT_OFF_WITHIN = Duration.ofSeconds(15);
    private static final String VALID_TOKEN = RefreshToken.encode(Fixtures.SESSION_ID, 4, Fixtures.session(4).refreshTokenHmacKey());

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(PROMPTLY).build();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean trickling = new AtomicBoolean(true);
    private TestServer server;
    private Thread trickler;

    private void start(Duration idleTimeout) {
        server = new TestServer(CorsSettings.defaults(), new HttpOperations(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> true, HttpOperations.STOP_TIMEOUT, idleTimeout, REQUEST_TIMEOUT));
        server.refresh.set(command -> {
            if (!command.refreshToken().equals(VALID_TOKEN)) {
                throw Rejection.validation("Refresh token is not valid");
            }
            return new TokenGrant("signed.access.jwt", Instant.parse("2030-01-01T00:00:00Z"), 3600, VALID_TOKEN,
                    Fixtures.user(), Fixtures.session(5), false, List.of());
        });
    }

    @AfterEach
    void stop() throws Exception {
        trickling.set(false);
        if (trickler != null) {
            trickler.join(TimeUnit.SECONDS.toMillis(5));
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aFewHundredClientsTricklingTheirBodiesHoldNoThreadAndAreAnswered408() throws Exception {
        start(HttpOperations.IDLE_TIMEOUT);
        long started = System.nanoTime();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            openSlowClient("POST /token?grant_type=refresh_token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{");
        }
        startTrickling(" ");

        // A healthy client on new connections is served meanwhile.
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        HttpResponse<String> refresh = send(HttpRequest.newBuilder(uri("/token?grant_type=refresh_token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + VALID_TOKEN + "\"}")));
        assertEquals(200, refresh.statusCode(), refresh.body());
        assertEquals(VALID_TOKEN, JSON.readTree(refresh.body()).path("refresh_token").asText());

        // And every slow client is answered 408 request_timeout, or cut off, within the bound.
        int answered408 = 0;
        for (Socket socket : sockets) {
            String answer = answerOrClose(socket, started);
            assertNotNull(answer, "a trickling client was still connected after " + CUT_OFF_WITHIN);
            if (!answer.isEmpty()) {
                assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
                assertTrue(answer.toLowerCase().contains("x-sb-error-code: request_timeout"), answer);
                JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                assertEquals("request_timeout", body.path("error_code").asText(), answer);
                assertEquals(408, body.path("code").asInt(), answer);
                if (answered408 == 0) {
                    OpenApiContract openApi = OpenApiContract.get();
                    assertTrue(openApi.document().at("/paths/~1token/post/responses/408").has("$ref"), "408 is not documented");
                    assertEquals(List.of(), openApi.validate("/components/schemas/Error", body.toString()));
                }
                answered408++;
            }
        }
        assertTrue(answered408 > 0, "the slow clients were cut off without an answer");
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void clientsTricklingTheirHeadersAreCutOffWhileAHealthyClientIsServed() throws Exception {
        start(HttpOperations.IDLE_TIMEOUT);
        long started = System.nanoTime();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            openSlowClient("POST /token?grant_type=refresh_token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        }
        startTrickling("a");

        assertEquals(200, get("/health").statusCode());
        for (Socket socket : sockets) {
            assertNotNull(answerOrClose(socket, started), "a client trickling its headers was still connected after " + CUT_OFF_WITHIN);
        }
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void idleConnectionsAreClosedByTheIdleTimeout() throws Exception {
        start(SHORT_IDLE_TIMEOUT);
        long started = System.nanoTime();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            openSlowClient("");
        }
        assertEquals(200, get("/health").statusCode());
        for (Socket socket : sockets) {
            assertEquals("", answerOrClose(socket, started), "an idle connection was answered");
        }
    }

    @Test
    void aClientThatSendsItsBodyInPiecesWithinTheBoundIsServed() throws Exception {
        start(HttpOperations.IDLE_TIMEOUT);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            String body = "{\"refresh_token\":\"" + VALID_TOKEN + "\"}";
            socket.getOutputStream().write(("POST /token?grant_type=refresh_token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < body.length(); i += 10) {
                socket.getOutputStream().write(body.substring(i, Math.min(body.length(), i + 10)).getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                Thread.sleep(50);
            }
            String answer = answerOrClose(socket, System.nanoTime());
            assertNotNull(answer);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.contains(VALID_TOKEN), answer);
        }
    }

    @Test
    void aClientThatWaitsFor100ContinueGetsItAndIsServed() throws Exception {
        start(HttpOperations.IDLE_TIMEOUT);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) CUT_OFF_WITHIN.toMillis());
            String body = "{\"refresh_token\":\"" + VALID_TOKEN + "\"}";
            socket.getOutputStream().write(("POST /token?grant_type=refresh_token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: " + body.length()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] interim = new byte["HTTP/1.1 100 Continue\r\n\r\n".length()];
            int read = 0;
            while (read < interim.length) {
                int n = socket.getInputStream().read(interim, read, interim.length - read);
                assertTrue(n > 0, "closed before 100 Continue");
                read += n;
            }
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = answerOrClose(socket, System.nanoTime());
            assertNotNull(answer);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.contains(VALID_TOKEN), answer);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAsSoonAsItPassesIt() throws Exception {
        start(HttpOperations.IDLE_TIMEOUT);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            StringBuilder request = new StringBuilder("POST /token?grant_type=refresh_token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(4096);
            for (int i = 0; i < 3; i++) {
                request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            // No last chunk: the refusal must not wait for the end of a body that is too large already.
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = answerOrClose(socket, System.nanoTime());
            assertNotNull(answer);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.contains("\"error_code\":\"validation_failed\""), answer);
        }
    }

    private void openSlowClient(String start) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        sockets.add(socket);
        if (!start.isEmpty()) {
            socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
    }

    /** One byte to every slow client that is still connected, every {@link #TRICKLE_MILLIS}, for at most {@link #CUT_OFF_WITHIN}. */
    private void startTrickling(String oneByte) {
        byte[] bytes = oneByte.getBytes(StandardCharsets.US_ASCII);
        List<Socket> open = new ArrayList<>(sockets);
        trickler = new Thread(() -> {
            long rounds = CUT_OFF_WITHIN.toMillis() / TRICKLE_MILLIS;
            for (long round = 0; round < rounds && trickling.get() && !open.isEmpty(); round++) {
                open.removeIf(socket -> {
                    try {
                        socket.getOutputStream().write(bytes);
                        socket.getOutputStream().flush();
                        return false;
                    } catch (IOException e) {
                        return true;
                    }
                });
                try {
                    Thread.sleep(TRICKLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "trickler");
        trickler.setDaemon(true);
        trickler.start();
    }

    /**
     * What the server sent before it closed the connection ("" for nothing, or a reset), or null when the
     * connection was still open {@link #CUT_OFF_WITHIN} after {@code startedNanos}.
     */
    private static String answerOrClose(Socket socket, long startedNanos) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                long left = CUT_OFF_WITHIN.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
                if (left <= 0) {
                    return null;
                }
                socket.setSoTimeout((int) left);
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                answer.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            // Reset by the server: cut off, as a closed connection.
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(PROMPTLY).build(), HttpResponse.BodyHandlers.ofString());
    }
}
