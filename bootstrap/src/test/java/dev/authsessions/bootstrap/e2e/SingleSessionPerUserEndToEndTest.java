package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code AUTH_SESSIONS_SINGLE_PER_USER=true} without tags: only the user's most recently refreshed session lives. */
class SingleSessionPerUserEndToEndTest {
    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_SINGLE_PER_USER", "true"));
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    @Test
    void aNewerLoginRevokesTheOlderSessionAndTheNewestKeepsWorking() {
        UUID user = it.api.createUser();
        JsonNode older = it.api.startSession(user);
        it.clock.advance(Duration.ofMinutes(1));
        JsonNode newer = it.api.startSession(user);
        UUID otherUser = it.api.createUser();
        it.clock.advance(Duration.ofMinutes(1));
        JsonNode otherUsersSession = it.api.startSession(otherUser);

        it.clock.advance(Duration.ofMinutes(1));
        Expect.revokedByNewerLogin(it.api.refresh(older.path("refresh_token").asText()));
        assertEquals(0L, it.rows.counterOf(Expect.sessionIdOf(older)).orElseThrow());
        String token = Expect.ok(it.api.refresh(newer.path("refresh_token").asText())).path("refresh_token").asText();
        it.clock.advance(Duration.ofMinutes(1));
        token = Expect.ok(it.api.refresh(token)).path("refresh_token").asText();
        Expect.revokedByNewerLogin(it.api.refresh(older.path("refresh_token").asText()));
        // Another user's newer session is no newer login of this user.
        Expect.ok(it.api.refresh(token));
        Expect.ok(it.api.refresh(otherUsersSession.path("refresh_token").asText()));
    }

    @Test
    void theOlderSessionIsRevokedEvenIfItWasRefreshedBeforeTheNewLogin() {
        UUID user = it.api.createUser();
        JsonNode older = it.api.startSession(user);
        it.clock.advance(Duration.ofMinutes(1));
        String olderToken = Expect.ok(it.api.refresh(older.path("refresh_token").asText())).path("refresh_token").asText();
        it.clock.advance(Duration.ofMinutes(1));
        JsonNode newer = it.api.startSession(user);

        it.clock.advance(Duration.ofSeconds(1));
        Expect.revokedByNewerLogin(it.api.refresh(olderToken));
        Expect.ok(it.api.refresh(newer.path("refresh_token").asText()));
    }

    /**
     * Two sessions of one user, started at the same instant (a tie the rule must break), refreshing at
     * the same moment, ten requests each, released together; repeated for many users. Whatever the
     * interleaving, afterwards exactly one of the two sessions can refresh and the other is revoked.
     * Every request is answered with 200 or the revocation, never a 409 or a 500.
     */
    @Test
    void twoSessionsRefreshingAtOnceLeaveExactlyOneThatCanRefresh() throws Exception {
        for (int round = 0; round < 10; round++) {
            UUID user = it.api.createUser();
            JsonNode a = it.api.startSession(user);
            JsonNode b = it.api.startSession(user);
            it.clock.advance(Duration.ofMinutes(1));
            // Half of the rounds with every clock read a microsecond later, so requests see different instants.
            it.clock.advanceOnEachRead(round % 2 == 0 ? Duration.ZERO : Duration.ofNanos(1_000));
            List<String> latest = new ArrayList<>(List.of(a.path("refresh_token").asText(), b.path("refresh_token").asText()));
            List<Callable<Api.Reply>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String token = latest.get(i % 2);
                calls.add(() -> it.api.refresh(token));
            }
            List<Api.Reply> replies;
            try {
                replies = ServiceUnderTest.together(calls);
            } finally {
                it.clock.advanceOnEachRead(Duration.ZERO);
            }
            for (int i = 0; i < replies.size(); i++) {
                Api.Reply reply = replies.get(i);
                if (reply.status() == 200) {
                    latest.set(i % 2, reply.json().path("refresh_token").asText());
                } else {
                    Expect.revokedByNewerLogin(reply);
                }
            }

            // Checked at the round's own instant (no time passes): when both sessions were refreshed at
            // that instant, the one checked first must not win just by refreshing again in the tie.
            Api.Reply first = it.api.refresh(latest.get(0));
            Api.Reply second = it.api.refresh(latest.get(1));
            int successes = (first.status() == 200 ? 1 : 0) + (second.status() == 200 ? 1 : 0);
            assertEquals(1, successes, "round " + round + ": " + first.summary() + " / " + second.summary());
            Expect.revokedByNewerLogin(first.status() == 200 ? second : first);
            assertTrue(it.rows.sessionExists(Expect.sessionIdOf(a)) && it.rows.sessionExists(Expect.sessionIdOf(b)),
                    "a revoked session is refused, not deleted");
        }
    }
}
