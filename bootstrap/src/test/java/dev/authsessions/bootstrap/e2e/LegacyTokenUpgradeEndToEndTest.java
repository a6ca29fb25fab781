package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.SessionId;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the defaults (GoTrue's {@code REFRESH_TOKEN_ALGORITHM_VERSION=2} at 100 %), refreshing a v1 session moves it
 * to v2 as GoTrue does: the session gets an HMAC key and counter 0, the v1 child is written already revoked, and
 * the answer is the v2 token, which then refreshes as any v2 token; concurrent refreshes of the v1 token all get
 * that one v2 token.
 */
class LegacyTokenUpgradeEndToEndTest {
    private static ServiceUnderTest service;
    private static GoTrueWrites gotrue;

    @BeforeAll
    static void start() {
        service = ServiceUnderTest.start(Map.of());
        gotrue = new GoTrueWrites(service.database);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aV1RefreshAnswersWithAV2TokenOfTheSessionAndConcurrentOnesAgree() throws Exception {
        UUID user = service.api.createUser();
        UUID session = UUID.randomUUID();
        String v1 = gotrue.signIn(user, session, service.clock.peek(), null, null);
        service.clock.advance(Duration.ofMinutes(1));

        List<Api.Reply> replies = RefreshFlowEndToEndTest.concurrently(20, () -> service.api.refresh(v1));

        Set<String> answers = new HashSet<>();
        for (Api.Reply reply : replies) {
            assertEquals(200, reply.status(), reply.raw());
            answers.add(reply.json().path("refresh_token").asText());
        }
        assertEquals(1, answers.size(), "one v2 token for all");
        String v2 = answers.iterator().next();
        HmacKey key = HmacKey.fromBase64Url(service.rows.hmacKeyColumn(session));
        assertEquals(RefreshToken.encode(new SessionId(session), 0, key), v2);
        assertEquals(0L, service.rows.counterOf(session).orElseThrow());
        List<Map<String, Object>> rows = gotrue.tokensOf(session);
        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(r -> Boolean.TRUE.equals(r.get("revoked"))), "the v1 family ends");
        Api.Reply first = replies.stream().filter(r -> "false".equals(r.header("sb-auth-refresh-token-reuse")))
                .findFirst().orElseThrow();
        assertEquals("0", first.header("sb-auth-refresh-token-counter"));

        service.clock.advance(Duration.ofMinutes(1));
        Api.Reply next = service.api.refresh(v2);
        assertEquals(200, next.status(), next.raw());
        assertEquals("1", next.header("sb-auth-refresh-token-counter"));
        JsonNode body = next.json();
        assertEquals(RefreshToken.encode(new SessionId(session), 1, key), body.path("refresh_token").asText());

        service.clock.advance(Duration.ofMinutes(1));
        assertEquals("refresh_token_already_used", service.api.refresh(v1).errorCode());
        assertEquals(1L, service.rows.counterOf(session).orElseThrow(), "the v2 session lives on");
    }
}
