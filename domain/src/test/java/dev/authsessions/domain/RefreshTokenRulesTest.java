package dev.authsessions.domain;

import static dev.authsessions.domain.Generators.seedNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authsessions.domain.RefreshDecision.NotIssuedByThisServer;
import dev.authsessions.domain.RefreshDecision.ReuseAllowed;
import dev.authsessions.domain.RefreshDecision.ReuseRejected;
import dev.authsessions.domain.RefreshDecision.Rotate;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reuse rules of SPEC §2: every sign of {@code diff}, every configuration, the interval's boundary. */
class RefreshTokenRulesTest {
    private static final Instant LAST = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Instant OUTSIDE = LAST.plus(Duration.ofMinutes(5));
    private static final Instant INSIDE = LAST.plusSeconds(3);
    private static final RefreshTokenRules ROTATION_ON = new RefreshTokenRules(true, INTERVAL, false);
    private static final RefreshTokenRules ROTATION_OFF = new RefreshTokenRules(false, INTERVAL, false);
    private static final RefreshTokenRules ALWAYS_ALLOW = new RefreshTokenRules(true, INTERVAL, true);

    @Test
    void theDefaultsAreRotationOnATenSecondIntervalAndNoBlanketReuse() {
        assertEquals(new RefreshTokenRules(true, Duration.ofSeconds(10), false), RefreshTokenRules.DEFAULTS);
    }

    @Test
    void aCounterAboveTheStoredOneWasNotIssuedByThisServer() {
        assertEquals(new NotIssuedByThisServer(), ROTATION_ON.decide(5, 6, LAST, OUTSIDE));
        assertEquals(new NotIssuedByThisServer(), ROTATION_ON.decide(5, 6, LAST, INSIDE));
        assertEquals(new NotIssuedByThisServer(), ALWAYS_ALLOW.decide(5, 6, LAST, INSIDE));
        assertEquals(new NotIssuedByThisServer(), ROTATION_OFF.decide(0, Long.MAX_VALUE, LAST, OUTSIDE));
    }

    @Test
    void theCurrentCounterRotatesToTheNextOne() {
        assertEquals(new Rotate(0, 1), ROTATION_ON.decide(0, 0, LAST, OUTSIDE));
        assertEquals(new Rotate(41, 42), ROTATION_ON.decide(41, 41, LAST, INSIDE));
        assertEquals(new Rotate(41, 42), ALWAYS_ALLOW.decide(41, 41, LAST, INSIDE));
        assertEquals(new Rotate(Long.MAX_VALUE - 1, Long.MAX_VALUE),
                ROTATION_OFF.decide(Long.MAX_VALUE - 1, Long.MAX_VALUE - 1, LAST, OUTSIDE));
    }

    @Test
    void aSpentCounterCannotRotateFurther() {
        assertEquals(new ReuseRejected(false), ROTATION_ON.decide(Long.MAX_VALUE, Long.MAX_VALUE, LAST, OUTSIDE));
        assertEquals(new ReuseRejected(false), ALWAYS_ALLOW.decide(Long.MAX_VALUE, Long.MAX_VALUE, LAST, INSIDE));
    }

    @Test
    void theTokenJustBeforeTheCurrentOneIsAFailToSave() {
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.FAIL_TO_SAVE)), ROTATION_ON.decide(7, 6, LAST, OUTSIDE));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.FAIL_TO_SAVE)), ROTATION_OFF.decide(7, 6, LAST, OUTSIDE));
        assertEquals(new ReuseAllowed(Long.MAX_VALUE, List.of(ReuseCause.FAIL_TO_SAVE)),
                ROTATION_ON.decide(Long.MAX_VALUE, Long.MAX_VALUE - 1, LAST, OUTSIDE));
    }

    @Test
    void theTokenJustBeforeTheCurrentOneInsideTheIntervalIsBothCauses() {
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.CONCURRENT_REFRESH, ReuseCause.FAIL_TO_SAVE)),
                ROTATION_ON.decide(7, 6, LAST, INSIDE));
    }

    @Test
    void anOlderTokenInsideTheIntervalIsAConcurrentRefresh() {
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.CONCURRENT_REFRESH)), ROTATION_ON.decide(7, 5, LAST, INSIDE));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.CONCURRENT_REFRESH)), ROTATION_OFF.decide(7, 0, LAST, INSIDE));
        assertEquals(new ReuseAllowed(Long.MAX_VALUE, List.of(ReuseCause.CONCURRENT_REFRESH)),
                ROTATION_ON.decide(Long.MAX_VALUE, 0, LAST, INSIDE));
    }

    @Test
    void anOlderTokenOutsideTheIntervalEndsTheSessionWhenRotationIsOn() {
        assertEquals(new ReuseRejected(true), ROTATION_ON.decide(7, 5, LAST, OUTSIDE));
        assertEquals(new ReuseRejected(true), ROTATION_ON.decide(Long.MAX_VALUE, 0, LAST, OUTSIDE));
    }

    @Test
    void anOlderTokenOutsideTheIntervalIsOnlyAnErrorWhenRotationIsOff() {
        assertEquals(new ReuseRejected(false), ROTATION_OFF.decide(7, 5, LAST, OUTSIDE));
    }

    @Test
    void alwaysAllowAnswersAnyOlderToken() {
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.ALWAYS_ALLOW)), ALWAYS_ALLOW.decide(7, 5, LAST, OUTSIDE));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.FAIL_TO_SAVE, ReuseCause.ALWAYS_ALLOW)),
                ALWAYS_ALLOW.decide(7, 6, LAST, OUTSIDE));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.CONCURRENT_REFRESH, ReuseCause.FAIL_TO_SAVE, ReuseCause.ALWAYS_ALLOW)),
                ALWAYS_ALLOW.decide(7, 6, LAST, INSIDE));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.ALWAYS_ALLOW)),
                new RefreshTokenRules(false, Duration.ZERO, true).decide(7, 0, LAST, OUTSIDE));
    }

    @Test
    void exactlyTheIntervalAgoIsNoLongerConcurrent() {
        assertEquals(new ReuseRejected(true), ROTATION_ON.decide(7, 5, LAST, LAST.plus(INTERVAL)));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.CONCURRENT_REFRESH)),
                ROTATION_ON.decide(7, 5, LAST, LAST.plus(INTERVAL).minusMillis(1)));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.CONCURRENT_REFRESH)),
                ROTATION_ON.decide(7, 5, LAST, LAST.plus(INTERVAL).minusNanos(1)));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.CONCURRENT_REFRESH)), ROTATION_ON.decide(7, 5, LAST, LAST));
    }

    @Test
    void aLastRefreshInTheFutureIsMeasuredByItsDistance() {
        // Clocks of several instances disagree a little; a refresh "from the future" within the interval is concurrent.
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.CONCURRENT_REFRESH)),
                ROTATION_ON.decide(7, 5, LAST, LAST.minusSeconds(3)));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.CONCURRENT_REFRESH)),
                ROTATION_ON.decide(7, 5, LAST, LAST.minus(INTERVAL).plusMillis(1)));
        assertEquals(new ReuseRejected(true), ROTATION_ON.decide(7, 5, LAST, LAST.minus(INTERVAL)));
        assertEquals(new ReuseRejected(true), ROTATION_ON.decide(7, 5, LAST, LAST.minus(Duration.ofHours(1))));
    }

    @Test
    void aZeroIntervalNeverCountsAsConcurrent() {
        RefreshTokenRules noInterval = new RefreshTokenRules(true, Duration.ZERO, false);
        assertEquals(new ReuseRejected(true), noInterval.decide(7, 5, LAST, LAST));
        assertEquals(new ReuseAllowed(7, List.of(ReuseCause.FAIL_TO_SAVE)), noInterval.decide(7, 6, LAST, LAST));
    }

    @Test
    void theConfigurationIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new RefreshTokenRules(true, Duration.ofMillis(-1), false));
        assertThrows(NullPointerException.class, () -> new RefreshTokenRules(true, null, false));
    }

    @Test
    void reuseCausesCarryTheirHeaderValues() {
        assertEquals("concurrent-refresh", ReuseCause.CONCURRENT_REFRESH.value());
        assertEquals("fail-to-save", ReuseCause.FAIL_TO_SAVE.value());
        assertEquals("always-allow", ReuseCause.ALWAYS_ALLOW.value());
    }

    @Test
    void theDecisionAgreesWithSpecSection2ForAnyInput() {
        SplittableRandom random = Generators.random("rules");
        Set<String> outcomes = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            long stored = Generators.counter(random);
            long presented = switch (random.nextInt(4)) {
                case 0 -> stored;
                case 1 -> stored - Math.min(stored, random.nextInt(1, 4));
                case 2 -> stored == Long.MAX_VALUE ? stored : stored + 1;
                default -> Generators.counter(random);
            };
            Duration interval = switch (random.nextInt(4)) {
                case 0 -> Duration.ZERO;
                case 1 -> Duration.ofMillis(1);
                case 2 -> Duration.ofSeconds(10);
                default -> Duration.ofMillis(random.nextLong(0, 600_000));
            };
            RefreshTokenRules rules = new RefreshTokenRules(random.nextBoolean(), interval, random.nextInt(4) == 0);
            Duration elapsed = Generators.around(random, interval);
            if (random.nextInt(4) == 0) {
                elapsed = elapsed.negated();
            }
            Instant now = LAST.plus(elapsed);
            String context = "stored " + stored + ", presented " + presented + ", elapsed " + elapsed + ", " + rules + seedNote();

            RefreshDecision actual = rules.decide(stored, presented, LAST, now);
            RefreshDecision expected = specSection2(stored, presented, elapsed, rules);

            if (expected instanceof ReuseAllowed allowed) {
                ReuseAllowed actualAllowed = assertInstanceOf(ReuseAllowed.class, actual, context);
                assertEquals(allowed.currentCounter(), actualAllowed.currentCounter(), context);
                assertEquals(EnumSet.copyOf(allowed.causes()), EnumSet.copyOf(actualAllowed.causes()), context);
                assertEquals(allowed.causes().size(), actualAllowed.causes().size(), "no cause twice: " + context);
            } else {
                assertEquals(expected, actual, context);
            }
            outcomes.add(actual.getClass().getSimpleName() + (actual instanceof ReuseRejected r ? r.terminateSession() : ""));
        }
        assertEquals(Set.of("NotIssuedByThisServer", "Rotate", "ReuseAllowed", "ReuseRejectedtrue", "ReuseRejectedfalse"),
                outcomes, "the generator must reach every outcome" + seedNote());
    }

    /** SPEC §2 read literally, with exact arithmetic. */
    private static RefreshDecision specSection2(long stored, long presented, Duration elapsed, RefreshTokenRules rules) {
        BigInteger diff = BigInteger.valueOf(stored).subtract(BigInteger.valueOf(presented));
        if (diff.signum() < 0) {
            return new NotIssuedByThisServer();
        }
        if (diff.signum() == 0) {
            BigInteger next = BigInteger.valueOf(stored).add(BigInteger.ONE);
            // Past 2^63-1 there is no next token to issue.
            return next.bitLength() < 64 ? new Rotate(stored, next.longValueExact()) : new ReuseRejected(false);
        }
        Set<ReuseCause> causes = EnumSet.noneOf(ReuseCause.class);
        if (diff.equals(BigInteger.ONE)) {
            causes.add(ReuseCause.FAIL_TO_SAVE);
        }
        if (elapsed.abs().compareTo(rules.reuseInterval()) < 0) {
            causes.add(ReuseCause.CONCURRENT_REFRESH);
        }
        if (rules.alwaysAllowReuse()) {
            causes.add(ReuseCause.ALWAYS_ALLOW);
        }
        if (!causes.isEmpty()) {
            return new ReuseAllowed(stored, List.copyOf(causes));
        }
        return new ReuseRejected(rules.rotationEnabled());
    }
}
