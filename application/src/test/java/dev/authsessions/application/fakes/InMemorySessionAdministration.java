package dev.authsessions.application.fakes;

import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.application.port.out.SessionCleanup;
import dev.authsessions.application.port.out.SessionDeletions;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionCursor;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The listing, deletion and clean-up ports over the rows of an {@link InMemorySessionRepository}.
 * Ids are ordered as PostgreSQL orders uuids (unsigned bytes), which is the order of their
 * lower-case text, not {@link java.util.UUID#compareTo}.
 */
public final class InMemorySessionAdministration implements SessionQueries, SessionDeletions, SessionCleanup {
    /** Newest first: {@code created_at} descending, then id descending. */
    private static final Comparator<Session> NEWEST_FIRST = Comparator.comparing(Session::createdAt)
            .thenComparing(s -> s.id().toString())
            .reversed();

    private final InMemorySessionRepository sessions;

    public InMemorySessionAdministration(InMemorySessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Optional<SessionDetails> findWithClaims(SessionId id) {
        return sessions.findById(id).map(this::details);
    }

    @Override
    public List<SessionDetails> pageOfUser(UserId userId, SessionCursor after, int limit) {
        return sessions.allSessions().stream()
                .filter(s -> s.userId().equals(userId))
                .filter(s -> after == null || isAfter(s, after))
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .map(this::details)
                .toList();
    }

    /** Whether {@code s} comes later in the newest-first order than the cursor's position. */
    private static boolean isAfter(Session s, SessionCursor cursor) {
        int byTime = s.createdAt().compareTo(cursor.createdAt());
        return byTime < 0 || (byTime == 0 && s.id().toString().compareTo(cursor.id().toString()) < 0);
    }

    private SessionDetails details(Session session) {
        return new SessionDetails(session, sessions.claimsOf(session.id()));
    }

    @Override
    public boolean deleteOwned(UserId owner, SessionId id) {
        return sessions.deleteWhere(s -> s.id().equals(id) && s.belongsTo(owner), 1) == 1;
    }

    @Override
    public int deleteOfUser(UserId owner, OAuthClientId onlyClient, SessionId except) {
        return sessions.deleteWhere(s -> s.belongsTo(owner)
                && (onlyClient == null || onlyClient.equals(s.oauthClientId()))
                && (except == null || !except.equals(s.id())), Integer.MAX_VALUE);
    }

    @Override
    public int deleteBatch(Expiry expiry, Instant cutoff, int batchSize) {
        Predicate<Session> expired = switch (expiry) {
            case NOT_AFTER -> s -> s.notAfter() != null && s.notAfter().isBefore(cutoff);
            case CREATED_AT -> s -> s.createdAt().isBefore(cutoff);
            case LAST_REFRESHED_AT -> s -> s.lastRefreshedAt().isBefore(cutoff);
        };
        return sessions.deleteWhere(expired, batchSize);
    }
}
