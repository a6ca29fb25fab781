package dev.authsessions.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The expiry rules of SPEC §3 as a pure function of (session, user, now). A rule whose duration
 * is empty is off. A session is past a limit only strictly after it, as in GoTrue.
 */
public record SessionPolicy(Optional<Duration> timebox, Optional<Duration> inactivityTimeout, Optional<Duration> allowLowAal) {

    public static final SessionPolicy NONE = new SessionPolicy(Optional.empty(), Optional.empty(), Optional.empty());

    public SessionPolicy {
        timebox = positive(timebox, "timebox");
        inactivityTimeout = positive(inactivityTimeout, "inactivity timeout");
        allowLowAal = positive(allowLowAal, "low-AAL grace period");
    }

    private static Optional<Duration> positive(Optional<Duration> value, String what) {
        if (value == null || value.isEmpty() || value.get().isZero()) {
            return Optional.empty();
        }
        if (value.get().isNegative()) {
            throw new IllegalArgumentException("the " + what + " cannot be negative");
        }
        return value;
    }

    /** Checks, in SPEC order: not_after, timebox, inactivity, low AAL. */
    public SessionValidity check(Session session, User user, Instant now) {
        if (session.notAfter() != null && now.isAfter(session.notAfter())) {
            return SessionValidity.PAST_NOT_AFTER;
        }
        if (timebox.isPresent() && now.isAfter(session.createdAt().plus(timebox.get()))) {
            return SessionValidity.PAST_TIMEBOX;
        }
        if (inactivityTimeout.isPresent() && now.isAfter(session.lastRefreshedAt().plus(inactivityTimeout.get()))) {
            return SessionValidity.INACTIVE;
        }
        if (lowAalDeadline(session, user).filter(now::isAfter).isPresent()) {
            return SessionValidity.LOW_AAL;
        }
        return SessionValidity.VALID;
    }

    /**
     * The end of the low-AAL grace period when it applies to this session: the rule is on and the session is
     * below the user's highest possible AAL (an aal1 session of a user with a verified factor). The session
     * may be refreshed up to this instant, and no access token of it may outlive it (GoTrue caps the
     * token's {@code exp} here too).
     */
    public Optional<Instant> lowAalDeadline(Session session, User user) {
        if (allowLowAal.isEmpty() || !session.aal().isBelow(user.highestPossibleAal())) {
            return Optional.empty();
        }
        return Optional.of(session.createdAt().plus(allowLowAal.get()));
    }

    /** The latest instant at which the session is still valid, ignoring the AAL rule; empty if it never expires. */
    public Optional<Instant> expiresAt(Session session) {
        Optional<Instant> result = Optional.ofNullable(session.notAfter());
        if (timebox.isPresent()) {
            result = earliest(result, session.createdAt().plus(timebox.get()));
        }
        if (inactivityTimeout.isPresent()) {
            result = earliest(result, session.lastRefreshedAt().plus(inactivityTimeout.get()));
        }
        return result;
    }

    private static Optional<Instant> earliest(Optional<Instant> current, Instant candidate) {
        return Optional.of(current.filter(c -> c.isBefore(candidate)).orElse(candidate));
    }
}
