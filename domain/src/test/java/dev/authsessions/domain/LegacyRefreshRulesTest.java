package dev.authsessions.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.domain.LegacyRefreshDecision.Rejected;
import dev.authsessions.domain.LegacyRefreshDecision.ReturnActive;
import dev.authsessions.domain.LegacyRefreshDecision.ReturnCurrentV2;
import dev.authsessions.domain.LegacyRefreshDecision.Swap;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GoTrue's rules for legacy v1 refresh tokens, its token format and the v1-to-v2 upgrade selection. */
class LegacyRefreshRulesTest {
    private static final Instant REVOKED_AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final RefreshTokenRules ROTATION_ON = new RefreshTokenRules(true, INTERVAL, false);
    private static final RefreshTokenRules ROTATION_OFF = new RefreshTokenRules(false, INTERVAL, false);
    private static final RefreshTokenRules ALWAYS_ALLOW = new RefreshTokenRules(true, INTERVAL, true);

    private static final IssuedLegacyToken ROOT = new IssuedLegacyToken(1, "aaaaaaaaaaaa", true, REVOKED_AT, null);
    private static final IssuedLegacyToken CHILD = new IssuedLegacyToken(2, "bbbbbbbbbbbb", true, REVOKED_AT, "aaaaaaaaaaaa");
    private static final IssuedLegacyToken GRANDCHILD = new IssuedLegacyToken(3, "cccccccccccc", false, REVOKED_AT, "bbbbbbbbbbbb");

    private static LegacyTokenFamily v1(IssuedLegacyToken presented, IssuedLegacyToken active) {
        return new LegacyTokenFamily(presented, Optional.ofNullable(active), Optional.ofNullable(active), false);
    }

    @Test
    void aTokenThatIsNotRevokedIsSwappedWhateverTheSettingsAndTheClock() {
        IssuedLegacyToken live = GRANDCHILD;
        for (RefreshTokenRules rules : new RefreshTokenRules[] {ROTATION_ON, ROTATION_OFF, ALWAYS_ALLOW}) {
            for (Instant now : new Instant[] {REVOKED_AT, REVOKED_AT.plus(Duration.ofDays(30))}) {
                assertEquals(new Swap(), rules.decideLegacy(v1(live, live), now));
                assertEquals(new Swap(), rules.decideLegacy(
                        new LegacyTokenFamily(live, Optional.of(live), Optional.of(live), true), now));
            }
        }
    }

    @Test
    void aRevokedParentOfTheActiveTokenGetsTheActiveTokenBackEvenLongAfter() {
        Instant muchLater = REVOKED_AT.plus(Duration.ofDays(2));
        assertEquals(new ReturnActive(GRANDCHILD), ROTATION_ON.decideLegacy(v1(CHILD, GRANDCHILD), muchLater));
        assertEquals(new ReturnActive(GRANDCHILD), ROTATION_OFF.decideLegacy(v1(CHILD, GRANDCHILD), muchLater));
    }

    @Test
    void anyOtherRevokedTokenIsSwappedOnlyUpToTheEndOfTheIntervalCountedFromItsUpdate() {
        assertEquals(new Swap(), ROTATION_ON.decideLegacy(v1(ROOT, GRANDCHILD), REVOKED_AT));
        assertEquals(new Swap(), ROTATION_ON.decideLegacy(v1(ROOT, GRANDCHILD), REVOKED_AT.plus(INTERVAL)));
        assertEquals(new Rejected(true),
                ROTATION_ON.decideLegacy(v1(ROOT, GRANDCHILD), REVOKED_AT.plus(INTERVAL).plusNanos(1000)));
        // no active token at all (the family was revoked): the same interval rule
        assertEquals(new Swap(), ROTATION_ON.decideLegacy(v1(ROOT, null), REVOKED_AT.plusSeconds(9)));
        assertEquals(new Rejected(true), ROTATION_ON.decideLegacy(v1(ROOT, null), REVOKED_AT.plusSeconds(11)));
    }

    @Test
    void withRotationOffARefusedTokenLeavesTheFamilyAlone() {
        assertEquals(new Rejected(false), ROTATION_OFF.decideLegacy(v1(ROOT, GRANDCHILD), REVOKED_AT.plusSeconds(11)));
    }

    @Test
    void alwaysAllowReuseDoesNotApplyToV1TokensAsInGoTrue() {
        assertEquals(new Rejected(true), ALWAYS_ALLOW.decideLegacy(v1(ROOT, GRANDCHILD), REVOKED_AT.plusSeconds(11)));
    }

    @Test
    void aZeroIntervalAllowsOnlyTheVeryInstantOfTheRevocation() {
        RefreshTokenRules zero = new RefreshTokenRules(true, Duration.ZERO, false);
        assertEquals(new Swap(), zero.decideLegacy(v1(ROOT, GRANDCHILD), REVOKED_AT));
        assertEquals(new Rejected(true), zero.decideLegacy(v1(ROOT, GRANDCHILD), REVOKED_AT.plusNanos(1000)));
    }

    @Test
    void onAnUpgradedSessionOnlyTheTokenSwappedForV2GetsTheCurrentV2TokenAndOnlyInsideTheInterval() {
        // the upgrade revoked CHILD and wrote its child (the revoked marker) in the same step
        IssuedLegacyToken marker = new IssuedLegacyToken(3, "cccccccccccc", true, REVOKED_AT, "bbbbbbbbbbbb");
        LegacyTokenFamily upgradedFromChild = new LegacyTokenFamily(CHILD, Optional.empty(), Optional.of(marker), true);
        assertEquals(new ReturnCurrentV2(), ROTATION_ON.decideLegacy(upgradedFromChild, REVOKED_AT.plusSeconds(10)));
        assertEquals(new Rejected(true), ROTATION_ON.decideLegacy(upgradedFromChild, REVOKED_AT.plusSeconds(11)));
        LegacyTokenFamily olderToken = new LegacyTokenFamily(ROOT, Optional.empty(), Optional.of(marker), true);
        assertEquals(new Rejected(true), ROTATION_ON.decideLegacy(olderToken, REVOKED_AT.plusSeconds(1)));
        assertEquals(new Rejected(false), ROTATION_OFF.decideLegacy(olderToken, REVOKED_AT.plusSeconds(1)));
    }

    @Test
    void randomFamiliesNeverGetAnotherTokensAnswer() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            boolean revoked = random.nextBoolean();
            IssuedLegacyToken presented = new IssuedLegacyToken(5, "pppppppppppp", revoked, REVOKED_AT, null);
            IssuedLegacyToken active = random.nextBoolean()
                    ? new IssuedLegacyToken(9, "qqqqqqqqqqqq", false, REVOKED_AT, random.nextBoolean() ? "pppppppppppp" : "zzzzzzzzzzzz")
                    : null;
            Instant now = REVOKED_AT.plusMillis(random.nextLong(0, 30_000));
            LegacyRefreshDecision decision = ROTATION_ON.decideLegacy(v1(presented, active), now);
            if (!revoked) {
                assertEquals(new Swap(), decision);
            } else if (active != null && presented.isParentOf(active)) {
                assertEquals(new ReturnActive(active), decision);
            } else {
                assertEquals(now.isAfter(REVOKED_AT.plus(INTERVAL)) ? new Rejected(true) : new Swap(), decision);
            }
        }
    }

    @Test
    void theFormatIsTwelveLowercaseAlphanumericsAndOnlyThatLengthCountsAsLegacy() {
        assertTrue(LegacyRefreshToken.parse("abcdefgh2345").isPresent());
        assertTrue(LegacyRefreshToken.parse("0123456789az").isPresent());
        assertFalse(LegacyRefreshToken.parse("abcdefgh234").isPresent());
        assertFalse(LegacyRefreshToken.parse("abcdefgh23456").isPresent());
        assertFalse(LegacyRefreshToken.parse("ABCDEFGH2345").isPresent());
        assertFalse(LegacyRefreshToken.parse("abcdefgh-345").isPresent());
        assertFalse(LegacyRefreshToken.parse("abcdéfgh2345").isPresent());
        assertFalse(LegacyRefreshToken.parse(null).isPresent());
        assertTrue(LegacyRefreshToken.hasLegacyLength("ABCDEFGH-345"));
        assertFalse(LegacyRefreshToken.hasLegacyLength("abcdefgh23456"));
        assertThrows(IllegalArgumentException.class, () -> new LegacyRefreshToken("short"));
        assertEquals("abcde", new LegacyRefreshToken("abcdefgh2345").prefix());
        assertFalse(new LegacyRefreshToken("abcdefgh2345").toString().contains("abcdefgh2345"));
    }

    @Test
    void newTokensAreLowercaseBase32OfTheRandomBytesAsGoTrueMakesThem() {
        // Go: strings.ToLower(base32.StdEncoding.WithPadding(NoPadding).EncodeToString(b))[:12]
        assertEquals("aaaaaaaaaaaa", LegacyRefreshToken.fromRandomBytes(new byte[8]).value());
        byte[] ones = new byte[8];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertEquals("777777777777", LegacyRefreshToken.fromRandomBytes(ones).value());
        // "foobarba" in base32 is MZXW6YTBOJRGC (RFC 4648 test vectors extend this way)
        assertEquals("mzxw6ytbojrg", LegacyRefreshToken.fromRandomBytes("foobarba".getBytes()).value());
        assertThrows(IllegalArgumentException.class, () -> LegacyRefreshToken.fromRandomBytes(new byte[7]));
    }

    @Test
    void theUpgradeFollowsVersionAndPercentagePerSession() {
        SessionId any = SessionId.parse("6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13");
        assertTrue(RefreshTokenUpgrade.ALL_TO_V2.upgrades(any));
        assertFalse(RefreshTokenUpgrade.NONE.upgrades(any));
        assertFalse(new RefreshTokenUpgrade(1, 100).upgrades(any));
        assertFalse(new RefreshTokenUpgrade(2, 0).upgrades(any));
        SplittableRandom random = new SplittableRandom(3);
        int upgraded = 0;
        Set<Boolean> seen = new HashSet<>();
        RefreshTokenUpgrade half = new RefreshTokenUpgrade(2, 50);
        for (int i = 0; i < 2000; i++) {
            SessionId session = new SessionId(new UUID(random.nextLong(), random.nextLong()));
            boolean first = half.upgrades(session);
            assertEquals(first, half.upgrades(session), "one session always decides alike");
            seen.add(first);
            upgraded += first ? 1 : 0;
        }
        assertTrue(upgraded > 800 && upgraded < 1200, "about half: " + upgraded);
        assertEquals(Set.of(true, false), seen);
        assertThrows(IllegalArgumentException.class, () -> new RefreshTokenUpgrade(3, 10));
        assertThrows(IllegalArgumentException.class, () -> new RefreshTokenUpgrade(2, 101));
    }

    @Test
    void aLegacySessionHasNoKeyNoCounterAndNoV2TokenAndCountsItsTokenTimeAsItsLastRefresh() {
        Session legacy = SessionsForTests.session(null, 0);
        assertTrue(legacy.isLegacy());
        assertThrows(IllegalStateException.class, legacy::currentRefreshToken);
        assertThrows(IllegalArgumentException.class, () -> SessionsForTests.session(null, 3));
        Instant later = legacy.createdAt().plusSeconds(90);
        assertEquals(later, legacy.asRefreshedByLegacyTokenAt(later).lastRefreshedAt());
        assertEquals(legacy.createdAt(), legacy.asRefreshedByLegacyTokenAt(legacy.createdAt().minusSeconds(5)).lastRefreshedAt());
        Session refreshed = new Session(legacy.id(), legacy.userId(), legacy.createdAt(), legacy.updatedAt(), null,
                Aal.AAL1, null, legacy.createdAt().plusSeconds(10), null, null, null, null, null, 0, null);
        assertSame(refreshed, refreshed.asRefreshedByLegacyTokenAt(later));
    }
}
