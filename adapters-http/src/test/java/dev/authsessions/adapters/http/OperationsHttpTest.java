package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.StorageUnavailableException;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.ReuseCause;
import dev.authsessions.domain.SessionValidity;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Health, readiness, metrics, request log, graceful stop and idle timeout, over real sockets. */
class OperationsHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID_TOKEN = RefreshToken.encode(Fixtures.SESSION_ID, 4, Fixtures.session(4).refreshTokenHmacKey());

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final AtomicReference<Function<RefreshSessionUseCase.Command, TokenGrant>> refresh = new AtomicReference<>(
            command -> {
                if (!command.refreshToken().equals(VALID_TOKEN)) {
                    throw Rejection.validation("Refresh token is not valid");
                }
                return grant();
            });
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HttpServer server;

    private static TokenGrant grant() {
        return new TokenGrant("signed.access.jwt", Instant.parse("2030-01-01T00:00:00Z"), 3600, VALID_TOKEN,
                Fixtures.user(), Fixtures.session(5), false, List.of());
    }

    private HttpServer start(Duration stopTimeout, Duration idleTimeout) {
        server = new HttpServer(
                new HttpSettings("127.0.0.1", 0, List.of("operations-admin-key-0123"), List.of(), 8192),
                command -> {
                    throw new UnsupportedOperationException();
                },
                id -> {
                },
                command -> {
                    throw new UnsupportedOperationException();
                },
                command -> refresh.get().apply(command),
                (caller, scope) -> {
                },
                token -> {
                    throw new UnsupportedOperationException();
                },
                () -> Map.of("keys", List.of()),
                command -> {
                    throw new UnsupportedOperationException();
                },
                command -> {
                    throw new UnsupportedOperationException();
                },
                (user, factor) -> {
                },
                command -> {
                    throw new UnsupportedOperationException();
                },
                id -> {
                },
                SessionRoutesTest.unusedSessionUseCases(),
                new HttpOperations(registry, ready::get, stopTimeout, idleTimeout));
        return server.start();
    }

    private HttpServer start() {
        return start(HttpOperations.STOP_TIMEOUT, HttpOperations.IDLE_TIMEOUT);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> refresh(String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/token?grant_type=refresh_token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + token + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsAboutTheProcessAndReadyAboutTheDatabase() throws Exception {
        start();
        assertEquals(200, get("/health").statusCode());
        HttpResponse<String> up = get("/ready");
        assertEquals(200, up.statusCode());
        assertEquals("ok", JSON.readTree(up.body()).path("status").asText());

        ready.set(false);
        assertEquals(200, get("/health").statusCode(), "the process is still up");
        HttpResponse<String> down = get("/ready");
        assertEquals(503, down.statusCode());
        assertEquals("service_unavailable", JSON.readTree(down.body()).path("error_code").asText());
        assertEquals("service_unavailable", down.headers().firstValue("x-sb-error-code").orElse(null));

        ready.set(true);
        assertEquals(200, get("/ready").statusCode(), "ready again by itself");
    }

    @Test
    void metricsCountRequestsPerRouteTemplateAndStatusWithLatencyBuckets() throws Exception {
        start();
        assertEquals(200, refresh(VALID_TOKEN).statusCode());
        assertEquals(200, refresh(VALID_TOKEN).statusCode());
        assertEquals(400, refresh("not-a-token").statusCode());
        String someId = "12345678-1234-4234-8234-123456789abc";
        get("/admin/users/" + someId + "/sessions/nowhere");
        new MicrometerSessionEvents(registry).reuseAllowed(List.of(ReuseCause.FAIL_TO_SAVE, ReuseCause.CONCURRENT_REFRESH));
        new MicrometerSessionEvents(registry).expired(SessionValidity.INACTIVE);
        new MicrometerSessionEvents(registry).cleanedUp(3, 0, 2);

        HttpResponse<String> scraped = get("/metrics");

        assertEquals(200, scraped.statusCode());
        assertTrue(scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), scraped.headers().toString());
        String text = scraped.body();
        assertTrue(text.contains("http_server_requests_seconds_count{method=\"POST\",route=\"/token\",status=\"200\"} 2"), text);
        assertTrue(text.contains("http_server_requests_seconds_count{method=\"POST\",route=\"/token\",status=\"400\"} 1"), text);
        assertTrue(text.contains("http_server_requests_seconds_bucket{method=\"POST\",route=\"/token\",status=\"200\",le=\"0.025\"}"), text);
        assertTrue(text.contains("http_server_requests_seconds_count{method=\"GET\",route=\"(no route)\",status=\"404\"} 1"), text);
        assertFalse(text.contains(someId), "ids in paths never become labels");
        assertFalse(text.contains(VALID_TOKEN));
        assertTrue(text.contains("auth_sessions_refresh_total{outcome=\"reuse_allowed\",reason=\"concurrent-refresh,fail-to-save\"} 1"), text);
        assertTrue(text.contains("auth_sessions_refresh_total{outcome=\"expired\",reason=\"inactive\"} 1"), text);
        assertTrue(text.contains("auth_sessions_refresh_total{outcome=\"rotated\",reason=\"none\"} 0"), text);
        assertTrue(text.contains("auth_sessions_cleanup_deleted_total{reason=\"not_after\"} 3"), text);
        assertTrue(text.contains("auth_sessions_cleanup_deleted_total{reason=\"inactivity\"} 2"), text);
    }

    @Test
    void aMadeUpMethodIsOneLabelValue() throws Exception {
        start();
        for (String method : List.of("BREW", "FROB")) {
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }
        String text = get("/metrics").body();
        assertFalse(text.contains("BREW") || text.contains("FROB"), text);
        assertTrue(text.contains("method=\"OTHER\""), text);
    }

    @Test
    void theRequestLogNamesTheSessionAndTheErrorIdOfA500ButNoToken() throws Exception {
        start();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RequestLog.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        JsonNode failure;
        try {
            assertEquals(200, refresh(VALID_TOKEN).statusCode());
            refresh.set(command -> {
                throw new IllegalStateException("boom");
            });
            HttpResponse<String> failed = refresh(VALID_TOKEN);
            assertEquals(500, failed.statusCode());
            failure = JSON.readTree(failed.body());
            get("/health");
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(previous);
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("POST /token 200 [0-9.]+ms session_id=" + Fixtures.SESSION_ID), lines.get(0));
        String errorId = failure.path("error_id").asText();
        assertTrue(lines.get(1).matches("POST /token 500 [0-9.]+ms session_id=" + Fixtures.SESSION_ID + " error_id=" + errorId),
                lines.get(1));
        assertTrue(lines.get(2).matches("GET /health 200 [0-9.]+ms"), lines.get(2));
        for (ILoggingEvent event : appender.list) {
            assertFalse(event.getFormattedMessage().contains(VALID_TOKEN));
            assertTrue(event.getKeyValuePairs().stream().anyMatch(kv -> kv.key.equals("route")), "structured fields for JSON logs");
        }
        assertEquals(errorId, appender.list.get(1).getKeyValuePairs().stream()
                .filter(kv -> kv.key.equals("error_id")).findFirst().orElseThrow().value);
    }

    @Test
    void aDatabaseThatDoesNotAnswerInTimeIs503RequestTimeoutAndOneThatIsGoneIs503ServiceUnavailable() throws Exception {
        start();
        refresh.set(command -> {
            throw new StorageUnavailableException("the database did not answer in time", null, true);
        });
        HttpResponse<String> slow = refresh(VALID_TOKEN);
        assertEquals(503, slow.statusCode());
        assertEquals("request_timeout", JSON.readTree(slow.body()).path("error_code").asText());

        refresh.set(command -> {
            throw new StorageUnavailableException("the database cannot be reached", null);
        });
        HttpResponse<String> gone = refresh(VALID_TOKEN);
        assertEquals(503, gone.statusCode());
        assertEquals("service_unavailable", JSON.readTree(gone.body()).path("error_code").asText());
        assertFalse(gone.body().contains("Exception"), "no stack trace");
    }

    @Test
    void stoppingLetsAnInFlightRequestFinishAndThenRefusesConnections() throws Exception {
        start();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        refresh.set(command -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return grant();
        });
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return refresh(VALID_TOKEN);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        int port = server.port();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
        // The stop waits for the request; it cannot complete before the handler is released.
        assertFalse(stopping.isDone());
        release.countDown();

        HttpResponse<String> answered = inFlight.get(20, TimeUnit.SECONDS);
        stopping.get(20, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode());
        assertEquals(VALID_TOKEN, JSON.readTree(answered.body()).path("refresh_token").asText());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        server = null;
    }

    @Test
    void aRequestThatNeverEndsDoesNotHoldUpTheStopPastItsTimeout() throws Exception {
        start(Duration.ofMillis(300), HttpOperations.IDLE_TIMEOUT);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        refresh.set(command -> {
            entered.countDown();
            try {
                never.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return grant();
        });
        CompletableFuture.runAsync(() -> {
            try {
                refresh(VALID_TOKEN);
            } catch (Exception e) {
                // The connection is closed under it; that is the point.
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
        stopping.get(20, TimeUnit.SECONDS);
        never.countDown();
        server = null;
    }

    @Test
    void aClientThatStopsSendingItsBodyIsCutOffAfterTheIdleTimeout() throws Exception {
        start(HttpOperations.STOP_TIMEOUT, Duration.ofMillis(500));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /token?grant_type=refresh_token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"refresh_token\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // The server gives up on the body: it answers with an error or closes; it does not wait for ever.
            byte[] answer = in.readNBytes(4096);
            String text = new String(answer, StandardCharsets.US_ASCII);
            assertTrue(text.isEmpty() || text.startsWith("HTTP/1.1 4") || text.startsWith("HTTP/1.1 5"), text);
        } catch (IOException e) {
            // A reset connection is an answer too.
            assertFalse(e instanceof java.net.SocketTimeoutException, "the server kept the connection open: " + e);
        }
    }
}
