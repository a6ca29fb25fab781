package dev.authsessions.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * "Single session per user" (SPEC §3) as a pure function. Sessions are grouped by tag: with tags
 * configured, a missing or unknown tag counts as the first configured tag; without, all of a
 * user's sessions are one group. In each group only the most recently refreshed session that is
 * still valid may refresh; a tie on the refresh time is broken by the larger session id, so
 * exactly one session of a group is the winner and two sessions refreshing at once cannot both
 * pass. The rule reads state only, so it needs no lock.
 */
public record SinglePerUserRule(List<String> tags) {
    public static final String REVOKED_MESSAGE = "Invalid Refresh Token: Session Expired (Revoked by Newer Login)";

    /** Later refresh first wins; equal refresh times fall back to the session id's text, i.e. its unsigned byte order. */
    public static final Comparator<Session> RECENCY =
            Comparator.comparing(Session::lastRefreshedAt).thenComparing(s -> s.id().value().toString());

    public SinglePerUserRule {
        tags = List.copyOf(tags);
    }

    /** The group a session's tag falls into; empty when no tags are configured (one group for all). */
    public Optional<String> effectiveTag(String tag) {
        if (tags.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(tag != null && tags.contains(tag) ? tag : tags.get(0));
    }

    /**
     * Whether {@code session} has been revoked by a newer login: another session of the same user
     * and group that is valid under {@code policy} at {@code now} was refreshed more recently. The
     * session itself is assumed valid (the caller checked it); {@code sessionsOfUser} may contain it.
     */
    public boolean isRevoked(Session session, User user, Collection<Session> sessionsOfUser, SessionPolicy policy, Instant now) {
        Objects.requireNonNull(session, "session");
        Optional<String> group = effectiveTag(session.tag());
        for (Session other : sessionsOfUser) {
            if (other.id().equals(session.id())
                    || !other.belongsTo(session.userId())
                    || !effectiveTag(other.tag()).equals(group)
                    || RECENCY.compare(other, session) <= 0) {
                continue;
            }
            if (policy.check(other, user, now).isValid()) {
                return true;
            }
        }
        return false;
    }
}
