package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3: every refresh records the client's User-Agent and IP. Behind a trusted proxy
 * ({@code AUTH_SESSIONS_TRUSTED_PROXIES}, here the loopback the test connects from) the IP is the first
 * {@code X-Forwarded-For} entry. Without trusted proxies the header is ignored (RefreshFlowEndToEndTest).
 */
class ClientAddressEndToEndTest {
    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_TRUSTED_PROXIES", "127.0.0.0/8, ::1/128"));
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    @Test
    void aRefreshThroughATrustedProxyRecordsTheForwardedAddressAndTheUserAgent() {
        JsonNode started = it.api.startSession(it.api.createUser());
        UUID session = Expect.sessionIdOf(started);

        JsonNode first = Expect.ok(it.api.refresh(started.path("refresh_token").asText(), Map.of(),
                Map.of("X-Forwarded-For", "198.51.100.7, 10.0.0.1", "User-Agent", "supabase-js/2.45 (phone)")));
        assertEquals(Map.of("user_agent", "supabase-js/2.45 (phone)", "ip", "198.51.100.7"), it.rows.clientOf(session));

        // The next refresh comes from elsewhere: the row follows the client.
        Expect.ok(it.api.refresh(first.path("refresh_token").asText(), Map.of(),
                Map.of("X-Forwarded-For", "2001:db8::42", "User-Agent", "supabase-js/2.45 (laptop)")));
        assertEquals(Map.of("user_agent", "supabase-js/2.45 (laptop)", "ip", "2001:db8::42"), it.rows.clientOf(session));
    }

    @Test
    void aForwardedEntryThatIsNoAddressLeavesThePeerAddress() {
        JsonNode started = it.api.startSession(it.api.createUser());
        UUID session = Expect.sessionIdOf(started);

        Expect.ok(it.api.refresh(started.path("refresh_token").asText(), Map.of(),
                Map.of("X-Forwarded-For", "unknown, 198.51.100.7", "User-Agent", "curl/8.5")));
        assertEquals(Map.of("user_agent", "curl/8.5", "ip", "127.0.0.1"), it.rows.clientOf(session));
    }
}
