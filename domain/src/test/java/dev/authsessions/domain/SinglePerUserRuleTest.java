package dev.authsessions.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SinglePerUserRuleTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final UserId ALICE = new UserId(UUID.fromString("00000000-0000-4000-8000-00000000a11c"));
    private static final User USER = new User(ALICE, "authenticated", "authenticated", "a@example.com", "",
            Map.of(), Map.of(), false, null, T0, T0, false);
    private static final SinglePerUserRule UNTAGGED = new SinglePerUserRule(List.of());
    private static final SinglePerUserRule TAGGED = new SinglePerUserRule(List.of("web", "mobile"));
    private static final Instant NOW = T0.plus(Duration.ofHours(1));

    private static int sequence;

    private static Session session(String tag, Instant refreshedAt) {
        return session(tag, refreshedAt, null, ALICE);
    }

    private static Session session(String tag, Instant refreshedAt, Instant notAfter, UserId owner) {
        UUID id = new UUID(0x1000_0000_0000_4000L, 0x8000_0000_0000_0000L + ++sequence);
        return new Session(new SessionId(id), owner, T0, T0, null, Aal.AAL1, notAfter, refreshedAt, null, null, tag,
                null, HmacKey.of(new byte[32]), 0, null);
    }

    private static Session withId(Session s, String id) {
        return new Session(new SessionId(UUID.fromString(id)), s.userId(), s.createdAt(), s.updatedAt(), s.factorId(),
                s.aal(), s.notAfter(), s.refreshedAt(), s.userAgent(), s.ip(), s.tag(), s.oauthClientId(),
                s.refreshTokenHmacKey(), s.refreshTokenCounter(), s.scopes());
    }

    @Test
    void withoutTagsEverySessionIsInOneGroupAndOnlyTheMostRecentlyRefreshedPasses() {
        Session older = session("web", T0.plusSeconds(10));
        Session newer = session("mobile", T0.plusSeconds(20));
        Session neverRefreshed = session(null, null);
        List<Session> all = List.of(older, newer, neverRefreshed);

        assertTrue(UNTAGGED.isRevoked(older, USER, all, SessionPolicy.NONE, NOW));
        assertTrue(UNTAGGED.isRevoked(neverRefreshed, USER, all, SessionPolicy.NONE, NOW));
        assertFalse(UNTAGGED.isRevoked(newer, USER, all, SessionPolicy.NONE, NOW));
        assertEquals(Optional.empty(), UNTAGGED.effectiveTag("web"));
    }

    @Test
    void aNeverRefreshedSessionCountsByItsCreationTime() {
        Session refreshedBeforeTheNewLogin = session(null, T0.minusSeconds(5));
        Session newLogin = session(null, null);
        List<Session> all = List.of(refreshedBeforeTheNewLogin, newLogin);

        assertTrue(UNTAGGED.isRevoked(refreshedBeforeTheNewLogin, USER, all, SessionPolicy.NONE, NOW));
        assertFalse(UNTAGGED.isRevoked(newLogin, USER, all, SessionPolicy.NONE, NOW));
    }

    @Test
    void withTagsOnlySessionsOfTheSameTagCompete() {
        Session web = session("web", T0.plusSeconds(10));
        Session mobileOld = session("mobile", T0.plusSeconds(5));
        Session mobileNew = session("mobile", T0.plusSeconds(30));
        List<Session> all = List.of(web, mobileOld, mobileNew);

        assertFalse(TAGGED.isRevoked(web, USER, all, SessionPolicy.NONE, NOW), "no newer web session");
        assertTrue(TAGGED.isRevoked(mobileOld, USER, all, SessionPolicy.NONE, NOW));
        assertFalse(TAGGED.isRevoked(mobileNew, USER, all, SessionPolicy.NONE, NOW));
    }

    @Test
    void aMissingOrUnknownTagCountsAsTheFirstConfiguredTag() {
        Session untagged = session(null, T0.plusSeconds(10));
        Session unknown = session("tv", T0.plusSeconds(20));
        Session web = session("web", T0.plusSeconds(30));
        Session mobile = session("mobile", T0.plusSeconds(40));
        List<Session> all = List.of(untagged, unknown, web, mobile);

        assertEquals(Optional.of("web"), TAGGED.effectiveTag(null));
        assertEquals(Optional.of("web"), TAGGED.effectiveTag("tv"));
        assertEquals(Optional.of("mobile"), TAGGED.effectiveTag("mobile"));
        assertTrue(TAGGED.isRevoked(untagged, USER, all, SessionPolicy.NONE, NOW));
        assertTrue(TAGGED.isRevoked(unknown, USER, all, SessionPolicy.NONE, NOW));
        assertFalse(TAGGED.isRevoked(web, USER, all, SessionPolicy.NONE, NOW));
        assertFalse(TAGGED.isRevoked(mobile, USER, all, SessionPolicy.NONE, NOW));
    }

    @Test
    void aNewerSessionThatIsNoLongerValidDoesNotRevokeAnOlderOne() {
        Session older = session(null, T0.plusSeconds(10));
        Session newerButPastNotAfter = session(null, T0.plusSeconds(20), T0.plusSeconds(30), ALICE);
        List<Session> all = List.of(older, newerButPastNotAfter);

        assertFalse(UNTAGGED.isRevoked(older, USER, all, SessionPolicy.NONE, NOW));
        assertTrue(UNTAGGED.isRevoked(older, USER, all, SessionPolicy.NONE, T0.plusSeconds(25)),
                "still valid at the refresh time, it wins");
    }

    @Test
    void theValidityOfOtherSessionsIsJudgedByThePolicy() {
        SessionPolicy inactivity = new SessionPolicy(Optional.empty(), Optional.of(Duration.ofMinutes(30)), Optional.empty());
        Session recent = session(null, NOW.minus(Duration.ofMinutes(40)));
        Session stale = session(null, NOW.minus(Duration.ofMinutes(35)));

        assertFalse(UNTAGGED.isRevoked(recent, USER, List.of(recent, stale), inactivity, NOW));
        assertTrue(UNTAGGED.isRevoked(recent, USER, List.of(recent, stale), SessionPolicy.NONE, NOW));
    }

    @Test
    void aTieOnTheRefreshTimeHasExactlyOneWinnerTheLargerId() {
        Session low = withId(session(null, T0), "10000000-0000-4000-8000-000000000001");
        Session high = withId(session(null, T0), "f0000000-0000-4000-8000-000000000001");
        List<Session> all = List.of(low, high);

        assertTrue(UNTAGGED.isRevoked(low, USER, all, SessionPolicy.NONE, NOW));
        assertFalse(UNTAGGED.isRevoked(high, USER, all, SessionPolicy.NONE, NOW),
                "the id order is the unsigned one, even where Java's signed UUID order disagrees");
    }

    @Test
    void theSessionItselfInTheListAndSessionsOfOtherUsersDoNotCount() {
        Session mine = session(null, T0.plusSeconds(10));
        Session someoneElses = session(null, T0.plusSeconds(20), null,
                new UserId(UUID.fromString("00000000-0000-4000-8000-0000000000b0")));

        assertFalse(UNTAGGED.isRevoked(mine, USER, List.of(mine, someoneElses), SessionPolicy.NONE, NOW));
        assertFalse(UNTAGGED.isRevoked(mine, USER, List.of(), SessionPolicy.NONE, NOW));
    }

    @Test
    void ofEverySetOfSessionsExactlyOnePerGroupPasses() {
        List<Session> all = List.of(
                session("web", T0.plusSeconds(3)), session(null, T0.plusSeconds(7)), session("tv", T0.plusSeconds(7)),
                session("mobile", T0.plusSeconds(1)), session("mobile", T0.plusSeconds(9)), session("web", null));
        long webWinners = all.stream()
                .filter(s -> TAGGED.effectiveTag(s.tag()).equals(Optional.of("web")))
                .filter(s -> !TAGGED.isRevoked(s, USER, all, SessionPolicy.NONE, NOW)).count();
        long mobileWinners = all.stream()
                .filter(s -> TAGGED.effectiveTag(s.tag()).equals(Optional.of("mobile")))
                .filter(s -> !TAGGED.isRevoked(s, USER, all, SessionPolicy.NONE, NOW)).count();
        long untaggedWinners = all.stream().filter(s -> !UNTAGGED.isRevoked(s, USER, all, SessionPolicy.NONE, NOW)).count();

        assertEquals(1, webWinners);
        assertEquals(1, mobileWinners);
        assertEquals(1, untaggedWinners);
    }
}
