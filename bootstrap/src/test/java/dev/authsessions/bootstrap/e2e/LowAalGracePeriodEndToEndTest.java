package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code AUTH_SESSIONS_ALLOW_LOW_AAL=10m}: a user with a verified factor must step their session up
 * to aal2 within ten minutes of its start; users without factors are not affected.
 */
class LowAalGracePeriodEndToEndTest {
    private static final String LOW_AAL = "Invalid Refresh Token: Session Expired (Low AAL: User Needs MFA Verification)";
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Duration MICROSECOND = Duration.ofNanos(1_000);

    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_ALLOW_LOW_AAL", "10m"));
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    private static UUID userWithFactor(UUID factor) {
        UUID user = it.api.createUser();
        assertEquals(201, it.api.registerFactor(user, factor).status());
        return user;
    }

    @Test
    void anAal1SessionOfAUserWithAFactorExpiresAfterTheGracePeriod() {
        UUID factor = UUID.randomUUID();
        UUID user = userWithFactor(factor);
        JsonNode started = it.api.startSession(user);
        assertEquals("aal1", started.path("session").path("aal").asText());

        it.clock.advance(GRACE);
        String token = Expect.ok(it.api.refresh(started.path("refresh_token").asText())).path("refresh_token").asText();
        it.clock.advance(MICROSECOND);
        Expect.sessionExpired(it.api.refresh(token), LOW_AAL);
        // Refreshing does not move the deadline: it counts from the session's start.
        it.clock.advance(Duration.ofMinutes(5));
        Expect.sessionExpired(it.api.refresh(token), LOW_AAL);
    }

    /** GoTrue caps an aal1 access token of a user with a factor at the end of the grace period; body and JWT agree. */
    @Test
    void anAal1AccessTokenOfAUserWithAFactorEndsWithTheGracePeriod() {
        UUID user = userWithFactor(UUID.randomUUID());
        JsonNode started = it.api.startSession(user);
        long end = Instant.parse(started.path("session").path("created_at").asText()).plus(GRACE).getEpochSecond();
        expectExpiry(started, end);

        it.clock.advance(Duration.ofMinutes(6));
        JsonNode refreshed = Expect.ok(it.api.refresh(started.path("refresh_token").asText()));
        expectExpiry(refreshed, end);
        String access = refreshed.path("access_token").asText();
        assertEquals(200, it.api.user(access).status());

        // One second after the grace period its access token is refused like any expired one, long before the hour.
        it.clock.setInstant(Instant.ofEpochSecond(end + 1));
        assertEquals(403, it.api.user(access).status());
    }

    /** After a step-up the usual lifetime applies again. */
    @Test
    void aSteppedUpSessionGetsTheUsualLifetime() {
        UUID factor = UUID.randomUUID();
        UUID user = userWithFactor(factor);
        JsonNode started = it.api.startSession(user);
        it.clock.advance(Duration.ofMinutes(4));
        JsonNode stepped = Expect.ok(it.api.stepUp(Expect.sessionIdOf(started), factor));
        expectExpiry(stepped, it.clock.peek().getEpochSecond() + 3600);
    }

    private static void expectExpiry(JsonNode grant, long exp) {
        long now = it.clock.peek().getEpochSecond();
        assertEquals(exp, Tokens.payloadOf(grant.path("access_token").asText()).path("exp").asLong(), "the JWT's exp");
        assertEquals(exp, grant.path("expires_at").asLong(), "expires_at is the JWT's exp");
        assertEquals(exp - now, grant.path("expires_in").asLong(), "expires_in counts from now to exp");
    }

    @Test
    void aFactorRegisteredAfterTheStartCountsToo() {
        UUID user = it.api.createUser();
        JsonNode started = it.api.startSession(user);
        it.clock.advance(Duration.ofMinutes(11));
        String token = Expect.ok(it.api.refresh(started.path("refresh_token").asText())).path("refresh_token").asText();

        assertEquals(201, it.api.registerFactor(user, UUID.randomUUID()).status());
        Expect.sessionExpired(it.api.refresh(token), LOW_AAL);
    }

    @Test
    void theSameSessionSteppedUpKeepsWorking() {
        UUID factor = UUID.randomUUID();
        UUID user = userWithFactor(factor);
        JsonNode started = it.api.startSession(user);
        UUID session = Expect.sessionIdOf(started);

        it.clock.advance(Duration.ofMinutes(4));
        JsonNode stepped = Expect.ok(it.api.stepUp(session, factor));
        it.clock.advance(Duration.ofMinutes(20));
        String token = Expect.ok(it.api.refresh(stepped.path("refresh_token").asText())).path("refresh_token").asText();
        it.clock.advance(Duration.ofHours(3));
        JsonNode later = Expect.ok(it.api.refresh(token));
        assertEquals("aal2", Tokens.payloadOf(later.path("access_token").asText()).path("aal").asText());
    }

    @Test
    void aSessionPastTheGracePeriodCanStillBeSteppedUpAndThenRefreshes() {
        UUID factor = UUID.randomUUID();
        UUID user = userWithFactor(factor);
        JsonNode started = it.api.startSession(user);
        it.clock.advance(GRACE.plus(Duration.ofMinutes(1)));
        Expect.sessionExpired(it.api.refresh(started.path("refresh_token").asText()), LOW_AAL);

        JsonNode stepped = Expect.ok(it.api.stepUp(Expect.sessionIdOf(started), factor));
        it.clock.advance(Duration.ofMinutes(1));
        Expect.ok(it.api.refresh(stepped.path("refresh_token").asText()));
    }

    @Test
    void aSessionStartedAtAal2IsNotAffected() {
        UUID factor = UUID.randomUUID();
        UUID user = userWithFactor(factor);
        JsonNode started = it.api.startSession(user, Map.of("aal", "aal2", "factor_id", factor.toString()));
        it.clock.advance(Duration.ofHours(1));
        Expect.ok(it.api.refresh(started.path("refresh_token").asText()));
    }

    @Test
    void aUserWithoutFactorsIsNotAffected() {
        UUID user = it.api.createUser();
        JsonNode started = it.api.startSession(user);
        String token = started.path("refresh_token").asText();
        for (int round = 0; round < 4; round++) {
            it.clock.advance(Duration.ofMinutes(30));
            token = Expect.ok(it.api.refresh(token)).path("refresh_token").asText();
        }
        assertEquals(4L, it.rows.counterOf(Expect.sessionIdOf(started)).orElseThrow());
    }
}
