package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Legacy (v1) refresh tokens over HTTP, on rows written as GoTrue writes them, with the v1-to-v2 upgrade off
 * (GoTrue's {@code REFRESH_TOKEN_ALGORITHM_VERSION=1}), so every rule of GoTrue's v1 path is visible: the swap, the
 * active token again for its revoked parent, the reuse interval from {@code updated_at}, the family revoked, the
 * session rules, and concurrent refreshes (here and in GoTrue) settling on one child.
 */
class LegacyRefreshTokensEndToEndTest {
    private static ServiceUnderTest service;
    private static GoTrueWrites gotrue;

    @BeforeAll
    static void start() {
        service = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_REFRESH_TOKEN_ALGORITHM_VERSION", "1"));
        gotrue = new GoTrueWrites(service.database);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private record V1Session(UUID user, UUID session, String token) {
    }

    private static V1Session signIn() {
        UUID user = service.api.createUser();
        UUID session = UUID.randomUUID();
        String token = gotrue.signIn(user, session, service.clock.peek(), null, null);
        service.clock.advance(Duration.ofMinutes(1));
        return new V1Session(user, session, token);
    }

    @Test
    void aV1TokenIsSwappedForItsChildWithGoTruesHeadersAndRows() {
        V1Session v1 = signIn();
        Instant now = service.clock.peek();

        Api.Reply reply = service.api.refresh(v1.token(), Map.of(), Map.of("User-Agent", "e2e-v1"));

        assertEquals(200, reply.status(), reply.raw());
        String child = reply.json().path("refresh_token").asText();
        assertTrue(child.matches("[a-z2-7]{12}"), "a v1 token like GoTrue's");
        assertNotEquals(v1.token(), child);
        assertEquals("bearer", reply.json().path("token_type").asText());
        assertEquals(v1.user().toString(), reply.json().path("user").path("id").asText());
        assertEquals(v1.session().toString(), reply.header("sb-auth-session-id"));
        assertEquals(v1.user().toString(), reply.header("sb-auth-user-id"));
        assertEquals("false", reply.header("sb-auth-refresh-token-reuse"));
        assertEquals(child.substring(0, 5), reply.header("sb-auth-refresh-token-prefix"));
        assertNull(reply.header("sb-auth-refresh-token-counter"), "a v1 token has no counter");
        List<Map<String, Object>> rows = gotrue.tokensOf(v1.session());
        assertEquals(2, rows.size());
        assertEquals(true, rows.get(0).get("revoked"));
        assertEquals(now, ((java.sql.Timestamp) rows.get(0).get("updated_at")).toInstant());
        assertEquals(child, rows.get(1).get("token"));
        assertEquals(false, rows.get(1).get("revoked"));
        assertEquals(v1.token(), rows.get(1).get("parent"));
        assertEquals("00000000-0000-0000-0000-000000000000", rows.get(1).get("instance_id"));
        assertEquals(v1.user().toString(), rows.get(1).get("user_id"));
        assertEquals(null, service.rows.counterOf(v1.session()).orElse(null), "the session stays v1");
        assertEquals("e2e-v1", service.rows.clientOf(v1.session()).get("user_agent"));
        String accessToken = reply.json().path("access_token").asText();
        assertEquals(200, service.api.user(accessToken).status(), "the access token names a live session");
    }

    @Test
    void theRevokedParentOfTheActiveTokenGetsThatTokenBackLongAfterWithoutReuseHeaders() {
        V1Session v1 = signIn();
        String child = service.api.refresh(v1.token()).json().path("refresh_token").asText();
        service.clock.advance(Duration.ofHours(3));

        Api.Reply again = service.api.refresh(v1.token());

        assertEquals(200, again.status(), again.raw());
        assertEquals(child, again.json().path("refresh_token").asText());
        assertNull(again.header("sb-auth-refresh-token-reuse"));
        assertEquals(child.substring(0, 5), again.header("sb-auth-refresh-token-prefix"));
        assertEquals(2, gotrue.tokensOf(v1.session()).size());
    }

    @Test
    void anOlderRevokedTokenIsSwappedInsideTheIntervalAndAfterItRevokesTheWholeFamily() {
        V1Session v1 = signIn();
        String t1 = service.api.refresh(v1.token()).json().path("refresh_token").asText();
        String t2 = service.api.refresh(t1).json().path("refresh_token").asText();
        service.clock.advance(Duration.ofSeconds(5));

        Api.Reply inside = service.api.refresh(v1.token());
        assertEquals(200, inside.status(), inside.raw());
        String sibling = inside.json().path("refresh_token").asText();
        assertNotEquals(t2, sibling, "GoTrue gives the revoked token a child of its own inside the interval");
        assertEquals(4, gotrue.tokensOf(v1.session()).size());

        service.clock.advance(Duration.ofSeconds(11));
        Api.Reply outside = service.api.refresh(t1);
        assertEquals(400, outside.status(), outside.raw());
        assertEquals("refresh_token_already_used", outside.errorCode());
        assertTrue(gotrue.tokensOf(v1.session()).stream().allMatch(r -> Boolean.TRUE.equals(r.get("revoked"))),
                "the whole family is revoked");
        assertTrue(service.rows.sessionExists(v1.session()) || service.rows.session(v1.session()).isPresent(),
                "the session row stays, as in GoTrue");
        service.clock.advance(Duration.ofSeconds(11));
        assertEquals("refresh_token_already_used", service.api.refresh(t2).errorCode());
        assertEquals("refresh_token_already_used", service.api.refresh(sibling).errorCode());
    }

    @Test
    void malformedAndUnknownV1TokensAreRefusedAndChangeNothing() {
        String before = service.rows.snapshot();
        Api.Reply malformed = service.api.refresh("ABCDEFGHIJKL");
        assertEquals(400, malformed.status());
        assertEquals("validation_failed", malformed.errorCode());
        Api.Reply unknown = service.api.refresh(GoTrueWrites.newToken());
        assertEquals(400, unknown.status());
        assertEquals("refresh_token_not_found", unknown.errorCode());
        assertEquals(before, service.rows.snapshot());
    }

    @Test
    void theSessionRulesApplyToV1Sessions() {
        UUID user = service.api.createUser();
        UUID expiredSession = UUID.randomUUID();
        Instant now = service.clock.peek();
        String expired = gotrue.signIn(user, expiredSession, now.minus(Duration.ofHours(2)), null, now.minusSeconds(1));
        Api.Reply pastNotAfter = service.api.refresh(expired);
        assertEquals("session_expired", pastNotAfter.errorCode(), pastNotAfter.raw());

        UUID client = UUID.randomUUID();
        assertEquals(201, service.api.putOAuthClient(client, Map.of("client_name", "app", "client_type", "public")).status());
        String oauth = gotrue.signIn(user, UUID.randomUUID(), now, client, null);
        Api.Reply withoutClient = service.api.refresh(oauth);
        assertEquals(400, withoutClient.status());
        assertEquals("invalid_client", withoutClient.json().path("error").asText(), withoutClient.raw());
        Api.Reply withClient = service.api.refresh(oauth, Map.of("client_id", client.toString()), Map.of());
        assertEquals(200, withClient.status(), withClient.raw());

        V1Session banned = signIn();
        assertEquals(200, service.api.putUser(banned.user(), Map.of("banned_until", "2999-01-01T00:00:00Z")).status());
        assertEquals("user_banned", service.api.refresh(banned.token()).errorCode());
        assertEquals(1, gotrue.tokensOf(banned.session()).size(), "a refused refresh writes nothing");
    }

    @Test
    void aTokenWithoutSessionIsAnsweredSessionNotFoundAndDeletedAsGoTrueDoes() {
        UUID user = service.api.createUser();
        String orphan = GoTrueWrites.newToken();
        gotrue.insertToken(orphan, user, false, service.clock.peek(), null, null);

        Api.Reply reply = service.api.refresh(orphan);

        assertEquals(400, reply.status());
        assertEquals("session_not_found", reply.errorCode());
        assertEquals("refresh_token_not_found", service.api.refresh(orphan).errorCode(), "the row is gone");
    }

    @Test
    void fiftyConcurrentRefreshesOfOneV1TokenEndInOneChildForAll() throws Exception {
        V1Session v1 = signIn();

        List<Api.Reply> replies = RefreshFlowEndToEndTest.concurrently(50, () -> service.api.refresh(v1.token()));

        Set<String> answers = new HashSet<>();
        for (Api.Reply reply : replies) {
            assertEquals(200, reply.status(), reply.raw());
            answers.add(reply.json().path("refresh_token").asText());
        }
        assertEquals(1, answers.size());
        List<Map<String, Object>> rows = gotrue.tokensOf(v1.session());
        assertEquals(2, rows.size(), "one rotation");
        assertEquals(answers.iterator().next(), rows.get(1).get("token"));
    }

    @Test
    void goTrueRefreshingTheSameTokenAtTheSameTimeAgreesOnTheOneChild() throws Exception {
        for (int round = 0; round < 3; round++) {
            V1Session v1 = signIn();
            Instant now = service.clock.peek();
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                if (i % 3 == 0) {
                    calls.add(() -> gotrue.refresh(v1.token(), now, 200));
                } else {
                    calls.add(() -> {
                        Api.Reply reply = service.api.refresh(v1.token());
                        return reply.status() == 200 ? reply.json().path("refresh_token").asText() : reply.raw();
                    });
                }
            }

            List<String> answers = ServiceUnderTest.together(calls);

            List<Map<String, Object>> rows = gotrue.tokensOf(v1.session());
            assertEquals(2, rows.size(), "one child, whoever made it: " + answers);
            assertEquals(Set.of(rows.get(1).get("token")), new HashSet<>(answers));
        }
    }

    @Test
    void fiftyConcurrentRefreshesSplitAcrossTwoInstancesRotateOnce() throws Exception {
        try (RunningService second = RunningService.start(service.database, service.clock,
                Map.of("AUTH_SESSIONS_REFRESH_TOKEN_ALGORITHM_VERSION", "1"))) {
            V1Session v1 = signIn();
            java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

            List<Api.Reply> replies = RefreshFlowEndToEndTest.concurrently(50,
                    () -> (turn.getAndIncrement() % 2 == 0 ? service.api : second.api).refresh(v1.token()));

            Set<String> answers = new HashSet<>();
            for (Api.Reply reply : replies) {
                assertEquals(200, reply.status(), reply.raw());
                answers.add(reply.json().path("refresh_token").asText());
            }
            assertEquals(1, answers.size());
            List<Map<String, Object>> rows = gotrue.tokensOf(v1.session());
            assertEquals(2, rows.size(), "one rotation");
            assertEquals(answers.iterator().next(), rows.get(1).get("token"));

            service.clock.advance(Duration.ofMinutes(1));
            String next = second.api.refresh(answers.iterator().next()).json().path("refresh_token").asText();
            service.clock.advance(Duration.ofMinutes(1));
            Api.Reply old = service.api.refresh(v1.token());
            assertEquals("refresh_token_already_used", old.errorCode(), "the other instance sees the rotation");
            // The family's tokens were revoked now, so (as in GoTrue) they are refused once the interval is over.
            service.clock.advance(Duration.ofSeconds(11));
            assertEquals("refresh_token_already_used", second.api.refresh(next).errorCode(), "and revoked the family");
        }
    }

    @Test
    void goTrueRaisingAV2CounterAtTheSameTimeLeavesOneRotationAndOneAnswer() throws Exception {
        for (int round = 0; round < 3; round++) {
            UUID user = service.api.createUser();
            JsonNode started = service.api.startSession(user);
            UUID session = UUID.fromString(started.path("session").path("id").asText());
            String token = started.path("refresh_token").asText();
            service.clock.advance(Duration.ofMinutes(1));
            Instant now = service.clock.peek();
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                if (i % 3 == 0) {
                    calls.add(() -> gotrue.refreshV2(session, 0, now, 200));
                } else {
                    calls.add(() -> {
                        Api.Reply reply = service.api.refresh(token);
                        return reply.status() == 200 ? reply.json().path("refresh_token").asText() : reply.raw();
                    });
                }
            }

            List<String> answers = ServiceUnderTest.together(calls);

            assertEquals(1L, service.rows.counterOf(session).orElseThrow(), "one rotation: " + answers.size());
            assertEquals(1, new HashSet<>(answers).size(), "one answer");
            assertNotEquals(token, answers.get(0));
        }
    }
}
