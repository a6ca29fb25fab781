package dev.authsessions.domain;

import static dev.authsessions.domain.Generators.seedNote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The validity rules of SPEC §3 with fixed instants: each rule, its boundary, and their order. */
class SessionPolicyTest {
    private static final Instant CREATED = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration TIMEBOX = Duration.ofHours(24);
    private static final Duration INACTIVITY = Duration.ofMinutes(30);
    private static final Duration LOW_AAL_GRACE = Duration.ofMinutes(15);
    private static final Duration NS = Duration.ofNanos(1);
    private static final Duration MS = Duration.ofMillis(1);

    private static final User WITHOUT_FACTOR = user(false);
    private static final User WITH_FACTOR = user(true);

    private static User user(boolean hasVerifiedFactor) {
        return new User(new UserId(UUID.fromString("11111111-2222-4333-8444-555555555555")), "authenticated",
                "authenticated", "a@example.com", "", null, null, false, null, CREATED, CREATED, hasVerifiedFactor);
    }

    private static Session session(Aal aal, Instant notAfter, Instant refreshedAt) {
        return new Session(new SessionId(UUID.fromString("6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13")),
                new UserId(UUID.fromString("11111111-2222-4333-8444-555555555555")), CREATED, CREATED, null, aal,
                notAfter, refreshedAt, "ua", "127.0.0.1", null, null, HmacKey.of(new byte[32]), 0, null);
    }

    private static Session plain() {
        return session(Aal.AAL1, null, null);
    }

    private static SessionPolicy policy(Duration timebox, Duration inactivity, Duration lowAal) {
        return new SessionPolicy(Optional.ofNullable(timebox), Optional.ofNullable(inactivity), Optional.ofNullable(lowAal));
    }

    @Nested
    class NotAfter {
        private final Instant notAfter = CREATED.plus(Duration.ofHours(2));
        private final Session session = session(Aal.AAL1, notAfter, null);

        @Test
        void exactlyAtNotAfterIsStillValid() {
            assertEquals(SessionValidity.VALID, SessionPolicy.NONE.check(session, WITHOUT_FACTOR, notAfter));
        }

        @Test
        void oneMillisecondPastIsExpired() {
            assertEquals(SessionValidity.PAST_NOT_AFTER, SessionPolicy.NONE.check(session, WITHOUT_FACTOR, notAfter.plus(MS)));
            assertEquals(SessionValidity.PAST_NOT_AFTER, SessionPolicy.NONE.check(session, WITHOUT_FACTOR, notAfter.plus(NS)));
        }

        @Test
        void noNotAfterNeverExpires() {
            assertEquals(SessionValidity.VALID,
                    SessionPolicy.NONE.check(plain(), WITHOUT_FACTOR, CREATED.plus(Duration.ofDays(100_000))));
        }
    }

    @Nested
    class Timebox {
        private final SessionPolicy policy = policy(TIMEBOX, null, null);

        @Test
        void exactlyAtTheTimeboxIsStillValid() {
            assertEquals(SessionValidity.VALID, policy.check(plain(), WITHOUT_FACTOR, CREATED.plus(TIMEBOX)));
        }

        @Test
        void oneMillisecondPastTheTimeboxIsExpired() {
            assertEquals(SessionValidity.PAST_TIMEBOX, policy.check(plain(), WITHOUT_FACTOR, CREATED.plus(TIMEBOX).plus(MS)));
        }

        @Test
        void theTimeboxCountsFromCreationNotFromTheLastRefresh() {
            Session refreshedJustNow = session(Aal.AAL1, null, CREATED.plus(TIMEBOX));
            assertEquals(SessionValidity.PAST_TIMEBOX,
                    policy.check(refreshedJustNow, WITHOUT_FACTOR, CREATED.plus(TIMEBOX).plus(MS)));
        }
    }

    @Nested
    class Inactivity {
        private final SessionPolicy policy = policy(null, INACTIVITY, null);

        @Test
        void aNeverRefreshedSessionIsMeasuredFromCreation() {
            assertEquals(SessionValidity.VALID, policy.check(plain(), WITHOUT_FACTOR, CREATED.plus(INACTIVITY)));
            assertEquals(SessionValidity.INACTIVE, policy.check(plain(), WITHOUT_FACTOR, CREATED.plus(INACTIVITY).plus(MS)));
        }

        @Test
        void aRefreshedSessionIsMeasuredFromItsLastRefresh() {
            Instant refreshed = CREATED.plus(Duration.ofHours(5));
            Session session = session(Aal.AAL1, null, refreshed);
            assertEquals(SessionValidity.VALID, policy.check(session, WITHOUT_FACTOR, refreshed.plus(INACTIVITY)));
            assertEquals(SessionValidity.INACTIVE, policy.check(session, WITHOUT_FACTOR, refreshed.plus(INACTIVITY).plus(MS)));
        }
    }

    @Nested
    class LowAal {
        private final SessionPolicy policy = policy(null, null, LOW_AAL_GRACE);

        @Test
        void anAal1SessionOfAUserWithAVerifiedFactorExpiresAfterTheGrace() {
            assertEquals(SessionValidity.VALID, policy.check(plain(), WITH_FACTOR, CREATED.plus(LOW_AAL_GRACE)));
            assertEquals(SessionValidity.LOW_AAL, policy.check(plain(), WITH_FACTOR, CREATED.plus(LOW_AAL_GRACE).plus(MS)));
        }

        @Test
        void theGraceCountsFromCreationEvenIfRefreshedSince() {
            Session refreshed = session(Aal.AAL1, null, CREATED.plus(LOW_AAL_GRACE));
            assertEquals(SessionValidity.LOW_AAL, policy.check(refreshed, WITH_FACTOR, CREATED.plus(LOW_AAL_GRACE).plus(MS)));
        }

        @Test
        void aUserWithoutAVerifiedFactorIsAlreadyAtTheirHighestLevel() {
            assertEquals(Aal.AAL1, WITHOUT_FACTOR.highestPossibleAal());
            assertEquals(SessionValidity.VALID, policy.check(plain(), WITHOUT_FACTOR, CREATED.plus(Duration.ofDays(30))));
        }

        @Test
        void aSteppedUpSessionIsNotLowAal() {
            assertEquals(Aal.AAL2, WITH_FACTOR.highestPossibleAal());
            Instant later = CREATED.plus(Duration.ofDays(30));
            assertEquals(SessionValidity.VALID, policy.check(session(Aal.AAL2, null, null), WITH_FACTOR, later));
            assertEquals(SessionValidity.VALID, policy.check(session(Aal.AAL3, null, null), WITH_FACTOR, later));
        }

        @Test
        void withoutAGraceSettingLowAalSessionsNeverExpire() {
            assertEquals(SessionValidity.VALID, SessionPolicy.NONE.check(plain(), WITH_FACTOR, CREATED.plus(Duration.ofDays(30))));
        }

        @Test
        void theDeadlineIsTheEndOfTheGraceExactlyWhenTheRuleApplies() {
            assertEquals(Optional.of(CREATED.plus(LOW_AAL_GRACE)), policy.lowAalDeadline(plain(), WITH_FACTOR));
            Session refreshed = session(Aal.AAL1, null, CREATED.plus(Duration.ofMinutes(14)));
            assertEquals(Optional.of(CREATED.plus(LOW_AAL_GRACE)), policy.lowAalDeadline(refreshed, WITH_FACTOR));
            assertEquals(Optional.empty(), policy.lowAalDeadline(plain(), WITHOUT_FACTOR));
            assertEquals(Optional.empty(), policy.lowAalDeadline(session(Aal.AAL2, null, null), WITH_FACTOR));
            assertEquals(Optional.empty(), SessionPolicy.NONE.lowAalDeadline(plain(), WITH_FACTOR));
        }
    }

    @Nested
    class Order {
        private final SessionPolicy all = policy(TIMEBOX, INACTIVITY, LOW_AAL_GRACE);
        private final Instant muchLater = CREATED.plus(Duration.ofDays(10));

        @Test
        void notAfterComesBeforeEverythingElse() {
            Session session = session(Aal.AAL1, CREATED.plus(Duration.ofHours(1)), null);
            assertEquals(SessionValidity.PAST_NOT_AFTER, all.check(session, WITH_FACTOR, muchLater));
        }

        @Test
        void theTimeboxComesBeforeInactivityAndLowAal() {
            assertEquals(SessionValidity.PAST_TIMEBOX, all.check(plain(), WITH_FACTOR, muchLater));
        }

        @Test
        void inactivityComesBeforeLowAal() {
            assertEquals(SessionValidity.INACTIVE, all.check(plain(), WITH_FACTOR, CREATED.plus(Duration.ofHours(1))));
        }

        @Test
        void lowAalIsReportedWhenItIsTheOnlyFailure() {
            Session refreshed = session(Aal.AAL1, null, CREATED.plus(Duration.ofMinutes(20)));
            assertEquals(SessionValidity.LOW_AAL, all.check(refreshed, WITH_FACTOR, CREATED.plus(Duration.ofMinutes(30))));
        }
    }

    @Nested
    class Configuration {
        @Test
        void zeroDurationsMeanOff() {
            SessionPolicy zeros = policy(Duration.ZERO, Duration.ZERO, Duration.ZERO);
            assertEquals(SessionPolicy.NONE, zeros);
            assertEquals(SessionValidity.VALID, zeros.check(plain(), WITH_FACTOR, CREATED.plus(Duration.ofDays(10_000))));
            assertEquals(Optional.empty(), zeros.expiresAt(plain()));
        }

        @Test
        void missingSettingsMeanOff() {
            assertEquals(SessionPolicy.NONE, new SessionPolicy(null, null, null));
        }

        @Test
        void negativeDurationsAreRefused() {
            Duration negative = Duration.ofSeconds(-1);
            assertThrows(IllegalArgumentException.class, () -> policy(negative, null, null));
            assertThrows(IllegalArgumentException.class, () -> policy(null, negative, null));
            assertThrows(IllegalArgumentException.class, () -> policy(null, null, negative));
            assertThrows(IllegalArgumentException.class, () -> policy(null, null, NS.negated()));
        }

        @Test
        void theMessagesAreGoTruesWording() {
            assertNull(SessionValidity.VALID.message());
            assertEquals("Invalid Refresh Token: Session Expired", SessionValidity.PAST_NOT_AFTER.message());
            assertEquals("Invalid Refresh Token: Session Expired", SessionValidity.PAST_TIMEBOX.message());
            assertEquals("Invalid Refresh Token: Session Expired (Inactivity)", SessionValidity.INACTIVE.message());
            assertEquals("Invalid Refresh Token: Session Expired (Low AAL: User Needs MFA Verification)",
                    SessionValidity.LOW_AAL.message());
            assertEquals(true, SessionValidity.VALID.isValid());
            assertEquals(false, SessionValidity.INACTIVE.isValid());
        }
    }

    @Nested
    class ExpiresAt {
        @Test
        void aSessionWithoutLimitsNeverExpires() {
            assertEquals(Optional.empty(), SessionPolicy.NONE.expiresAt(plain()));
        }

        @Test
        void notAfterAloneIsTheExpiry() {
            Instant notAfter = CREATED.plus(Duration.ofHours(3));
            assertEquals(Optional.of(notAfter), SessionPolicy.NONE.expiresAt(session(Aal.AAL1, notAfter, null)));
        }

        @Test
        void theEarliestLimitWins() {
            SessionPolicy policy = policy(TIMEBOX, INACTIVITY, LOW_AAL_GRACE);
            Instant refreshed = CREATED.plus(Duration.ofHours(2));
            assertEquals(Optional.of(refreshed.plus(INACTIVITY)), policy.expiresAt(session(Aal.AAL1, null, refreshed)));
            Instant lateRefresh = CREATED.plus(TIMEBOX).minus(Duration.ofMinutes(1));
            assertEquals(Optional.of(CREATED.plus(TIMEBOX)), policy.expiresAt(session(Aal.AAL1, null, lateRefresh)));
            Instant earlyNotAfter = CREATED.plus(Duration.ofMinutes(5));
            assertEquals(Optional.of(earlyNotAfter), policy.expiresAt(session(Aal.AAL1, earlyNotAfter, refreshed)));
        }

        @Test
        void theLowAalGraceIsNotPartOfTheExpiry() {
            assertEquals(Optional.empty(), policy(null, null, LOW_AAL_GRACE).expiresAt(plain()));
        }

        @Test
        void aSessionIsValidUpToItsExpiryAndNotAfterIt() {
            SplittableRandom random = Generators.random("expiresAt");
            for (int i = 0; i < 5_000; i++) {
                Duration timebox = random.nextBoolean() ? Duration.ofSeconds(random.nextLong(1, 1_000_000)) : null;
                Duration inactivity = random.nextBoolean() ? Duration.ofSeconds(random.nextLong(1, 1_000_000)) : null;
                Instant notAfter = random.nextBoolean() ? CREATED.plusMillis(random.nextLong(0, 1_000_000_000)) : null;
                Instant refreshed = random.nextBoolean() ? CREATED.plusMillis(random.nextLong(0, 1_000_000_000)) : null;
                SessionPolicy policy = policy(timebox, inactivity, null);
                Session session = session(Aal.AAL1, notAfter, refreshed);
                String context = policy + ", notAfter " + notAfter + ", refreshed " + refreshed + seedNote();

                Optional<Instant> expiry = policy.expiresAt(session);
                if (expiry.isEmpty()) {
                    assertEquals(SessionValidity.VALID,
                            policy.check(session, WITH_FACTOR, CREATED.plus(Duration.ofDays(1_000_000))), context);
                } else {
                    assertEquals(SessionValidity.VALID, policy.check(session, WITH_FACTOR, expiry.get()), context);
                    assertNotEquals(SessionValidity.VALID, policy.check(session, WITH_FACTOR, expiry.get().plus(NS)), context);
                }
            }
        }
    }
}
