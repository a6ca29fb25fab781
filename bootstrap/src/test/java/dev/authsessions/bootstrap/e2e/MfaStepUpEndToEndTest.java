package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MFA step-up and factor removal (default configuration: rotation on, 10 s reuse interval), checked in the rows. */
class MfaStepUpEndToEndTest {
    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of());
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    private static Map<String, Object> row(UUID session) {
        return it.rows.session(session).orElseThrow(() -> new AssertionError("no row for session " + session));
    }

    private static long counter(UUID session) {
        return ((Number) row(session).get("refresh_token_counter")).longValue();
    }

    @Test
    void stepUpRaisesTheSessionAndDeletesTheUsersOtherAal1Sessions() {
        UUID user = it.api.createUser();
        UUID factor = UUID.randomUUID();
        UUID otherFactor = UUID.randomUUID();
        assertEquals(201, it.api.registerFactor(user, otherFactor).status());
        JsonNode started = it.api.startSession(user);
        UUID session = Expect.sessionIdOf(started);
        JsonNode otherAal1 = it.api.startSession(user);
        JsonNode otherAal2 = it.api.startSession(user, Map.of("aal", "aal2", "factor_id", otherFactor.toString()));
        UUID bystander = it.api.createUser();
        JsonNode bystanderSession = it.api.startSession(bystander);

        it.clock.advance(Duration.ofMinutes(1));
        String current = Expect.ok(it.api.refresh(started.path("refresh_token").asText())).path("refresh_token").asText();
        assertEquals(1L, counter(session));

        it.clock.advance(Duration.ofSeconds(2));
        Api.Reply reply = it.api.stepUp(session, factor);
        JsonNode stepped = Expect.ok(reply);
        assertEquals(session.toString(), reply.header("sb-auth-session-id"));

        Map<String, Object> after = row(session);
        assertEquals("aal2", after.get("aal"));
        assertEquals(factor.toString(), after.get("factor_id"));
        assertEquals(3L, ((Number) after.get("refresh_token_counter")).longValue(), "the counter rose by 2");
        assertEquals(List.of("password", "totp"), it.rows.claimMethodsOf(session));
        assertEquals(Map.of("user_id", user.toString(), "factor_type", "totp", "status", "verified"),
                it.rows.factor(factor).orElseThrow());
        assertFalse(it.rows.sessionExists(Expect.sessionIdOf(otherAal1)), "the user's other aal1 session is deleted");
        assertTrue(it.rows.sessionExists(Expect.sessionIdOf(otherAal2)), "the user's other aal2 session is kept");
        assertTrue(it.rows.sessionExists(Expect.sessionIdOf(bystanderSession)), "another user's session is kept");

        String newToken = stepped.path("refresh_token").asText();
        assertEquals(session, Tokens.sessionOf(newToken));
        assertEquals(3L, Tokens.counterOf(newToken));
        JsonNode jwt = Tokens.payloadOf(stepped.path("access_token").asText());
        assertEquals("aal2", jwt.path("aal").asText());
        assertEquals("totp", jwt.path("amr").path(0).path("method").asText());
        assertEquals("password", jwt.path("amr").path(1).path("method").asText());
        assertEquals(session.toString(), jwt.path("session_id").asText());

        // The pre-step-up token was current and is used within the reuse interval; it still must not work.
        it.clock.advance(Duration.ofSeconds(1));
        Expect.error(it.api.refresh(current), 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
        Expect.error(it.api.refresh(started.path("refresh_token").asText()), 400, "refresh_token_not_found", null);
        assertEquals(3L, counter(session), "refused tokens change nothing");

        JsonNode refreshed = Expect.ok(it.api.refresh(newToken));
        assertEquals(4L, counter(session));
        JsonNode refreshedJwt = Tokens.payloadOf(refreshed.path("access_token").asText());
        assertEquals("aal2", refreshedJwt.path("aal").asText());
        assertEquals("totp", refreshedJwt.path("amr").path(0).path("method").asText());
        Expect.ok(it.api.refresh(otherAal2.path("refresh_token").asText()));
    }

    /**
     * Twenty refreshes with the current pre-step-up token race one step-up, several times. No token
     * answered to a refresh may reach the stepped-up session: each one fails afterwards. The step-up's
     * token is the newest, its counter is the row's, and it refreshes.
     */
    @Test
    void refreshesRacingAStepUpNeverYieldATokenOfTheSteppedUpSession() throws Exception {
        for (int round = 0; round < 5; round++) {
            UUID user = it.api.createUser();
            UUID factor = UUID.randomUUID();
            JsonNode started = it.api.startSession(user);
            UUID session = Expect.sessionIdOf(started);
            it.clock.advance(Duration.ofMinutes(1));
            String preStepUp = Expect.ok(it.api.refresh(started.path("refresh_token").asText())).path("refresh_token").asText();
            it.clock.advance(Duration.ofSeconds(1));

            List<Callable<Api.Reply>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> it.api.refresh(preStepUp));
            }
            calls.add(round % 2 == 0 ? 10 : 0, () -> it.api.stepUp(session, factor));
            int stepUpIndex = round % 2 == 0 ? 10 : 0;
            List<Api.Reply> replies = ServiceUnderTest.together(calls);

            JsonNode stepped = Expect.ok(replies.get(stepUpIndex));
            String stepUpToken = stepped.path("refresh_token").asText();
            Set<String> answered = new LinkedHashSet<>();
            for (int i = 0; i < replies.size(); i++) {
                if (i == stepUpIndex) {
                    continue;
                }
                Api.Reply reply = replies.get(i);
                if (reply.status() == 200) {
                    answered.add(reply.json().path("refresh_token").asText());
                } else {
                    Expect.error(reply, 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
                }
            }
            assertFalse(answered.contains(stepUpToken), "round " + round + ": a refresh was answered with the step-up's token");

            it.clock.advance(Duration.ofSeconds(1));
            for (String token : answered) {
                Expect.error(it.api.refresh(token), 400, "refresh_token_not_found", null);
            }
            assertEquals(Tokens.counterOf(stepUpToken), counter(session), "round " + round);
            assertEquals("aal2", row(session).get("aal"));
            Api.Reply next = it.api.refresh(stepUpToken);
            Expect.ok(next);
            assertEquals(Tokens.counterOf(stepUpToken) + 1, counter(session));
            assertEquals("aal2", Tokens.payloadOf(next.json().path("access_token").asText()).path("aal").asText());
        }
    }

    @Test
    void removingAFactorDowngradesExactlyTheSessionsOnIt() {
        UUID user = it.api.createUser();
        UUID removed = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        assertEquals(201, it.api.registerFactor(user, removed).status());
        assertEquals(201, it.api.registerFactor(user, kept).status());
        // Each step-up deletes the user's other aal1 sessions, so the sessions are stepped up one by one.
        UUID onRemovedA = stepUpNewSession(user, removed);
        UUID onRemovedB = stepUpNewSession(user, removed);
        UUID onKept = stepUpNewSession(user, kept);
        JsonNode aal1 = it.api.startSession(user);
        UUID bystander = it.api.createUser();
        UUID bystanderFactor = UUID.randomUUID();
        UUID bystanderSession = stepUpNewSession(bystander, bystanderFactor);
        Map<String, Object> keptBefore = row(onKept);
        Map<String, Object> aal1Before = row(Expect.sessionIdOf(aal1));
        Map<String, Object> bystanderBefore = row(bystanderSession);

        it.clock.advance(Duration.ofMinutes(1));
        assertEquals(204, it.api.removeFactor(user, removed).status());

        for (UUID session : List.of(onRemovedA, onRemovedB)) {
            Map<String, Object> after = row(session);
            assertEquals("aal1", after.get("aal"));
            assertNull(after.get("factor_id"));
            assertEquals(List.of("password"), it.rows.claimMethodsOf(session));
        }
        assertEquals(keptBefore, row(onKept));
        assertEquals(List.of("password", "totp"), it.rows.claimMethodsOf(onKept));
        assertEquals(aal1Before, row(Expect.sessionIdOf(aal1)));
        assertEquals(bystanderBefore, row(bystanderSession));
        assertEquals(List.of("password", "totp"), it.rows.claimMethodsOf(bystanderSession));
        assertTrue(it.rows.factor(removed).isEmpty());
        assertTrue(it.rows.factor(kept).isPresent());
    }

    @Test
    void aSessionBackAtAal1RefreshesIntoAnAal1Token() {
        UUID user = it.api.createUser();
        UUID factor = UUID.randomUUID();
        JsonNode started = it.api.startSession(user);
        JsonNode stepped = Expect.ok(it.api.stepUp(Expect.sessionIdOf(started), factor));
        assertEquals(204, it.api.removeFactor(user, factor).status());

        it.clock.advance(Duration.ofMinutes(1));
        JsonNode jwt = Tokens.payloadOf(Expect.ok(it.api.refresh(stepped.path("refresh_token").asText()))
                .path("access_token").asText());
        assertEquals("aal1", jwt.path("aal").asText());
        assertEquals(1, jwt.path("amr").size());
        assertEquals("password", jwt.path("amr").path(0).path("method").asText());
    }

    @Test
    void removingAnUnknownFactorOrAFactorOfAnUnknownUserIs404AndChangesNothing() {
        UUID user = it.api.createUser();
        UUID factor = UUID.randomUUID();
        assertEquals(201, it.api.registerFactor(user, factor).status());
        UUID session = stepUpNewSession(user, factor);
        UUID otherUser = it.api.createUser();
        String before = it.rows.snapshot();

        Expect.error(it.api.removeFactor(UUID.randomUUID(), factor), 404, "user_not_found", null);
        Expect.error(it.api.removeFactor(user, UUID.randomUUID()), 404, "mfa_factor_not_found", null);
        Expect.error(it.api.removeFactor(otherUser, factor), 404, "mfa_factor_not_found", null);
        Expect.error(it.api.removeFactor(user, null), 400, "validation_failed", null);
        assertEquals(before, it.rows.snapshot());
        assertEquals("aal2", row(session).get("aal"));

        assertEquals(204, it.api.removeFactor(user, factor).status());
        Expect.error(it.api.removeFactor(user, factor), 404, "mfa_factor_not_found", null);
    }

    private static UUID stepUpNewSession(UUID user, UUID factor) {
        it.clock.advance(Duration.ofSeconds(1));
        UUID session = Expect.sessionIdOf(it.api.startSession(user));
        Expect.ok(it.api.stepUp(session, factor));
        return session;
    }
}
