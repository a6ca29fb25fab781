package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.IssuedLegacyToken;
import dev.authsessions.domain.LegacyRefreshToken;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Passes every call to another repository after telling {@link #onCall}; tests override single
 * methods (a compare-and-set that always loses) or the hook (counting calls).
 */
public class ForwardingSessionRepository implements SessionRepository {
    private final SessionRepository delegate;

    public ForwardingSessionRepository(SessionRepository delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Called with the port method's name before each call is passed on. */
    protected void onCall(String method) {
    }

    @Override
    public void create(Session session, AmrClaim firstClaim) {
        onCall("create");
        delegate.create(session, firstClaim);
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        onCall("findById");
        return delegate.findById(id);
    }

    @Override
    public Optional<SessionContext> loadForRefresh(SessionId id) {
        onCall("loadForRefresh");
        return delegate.loadForRefresh(id);
    }

    @Override
    public Optional<Session> compareAndSetCounter(
            SessionId id, long expectedCounter, long nextCounter, Instant now, String userAgent, String ip) {
        onCall("compareAndSetCounter");
        return delegate.compareAndSetCounter(id, expectedCounter, nextCounter, now, userAgent, ip);
    }

    @Override
    public void recordReuse(SessionId id, Instant now, String userAgent, String ip) {
        onCall("recordReuse");
        delegate.recordReuse(id, now, userAgent, ip);
    }

    @Override
    public boolean delete(SessionId id) {
        onCall("delete");
        return delegate.delete(id);
    }

    @Override
    public int deleteAllOfUser(UserId userId) {
        onCall("deleteAllOfUser");
        return delegate.deleteAllOfUser(userId);
    }

    @Override
    public int deleteOthersOfUser(UserId userId, SessionId keep) {
        onCall("deleteOthersOfUser");
        return delegate.deleteOthersOfUser(userId, keep);
    }

    @Override
    public List<AmrClaim> claimsOf(SessionId id) {
        onCall("claimsOf");
        return delegate.claimsOf(id);
    }

    @Override
    public List<Session> listOfUser(UserId userId) {
        onCall("listOfUser");
        return delegate.listOfUser(userId);
    }

    @Override
    public Optional<SessionContext> stepUp(
            SessionId id, FactorId factorId, AuthenticationMethod method, HmacKey newKey, Instant now) {
        onCall("stepUp");
        return delegate.stepUp(id, factorId, method, newKey, now);
    }

    @Override
    public Optional<LegacyTokenContext> loadForLegacyRefresh(LegacyRefreshToken token) {
        onCall("loadForLegacyRefresh");
        return delegate.loadForLegacyRefresh(token);
    }

    @Override
    public void deleteLegacyToken(IssuedLegacyToken token) {
        onCall("deleteLegacyToken");
        delegate.deleteLegacyToken(token);
    }

    @Override
    public Optional<LegacyRefreshResult> refreshLegacy(LegacyRefresh refresh) {
        onCall("refreshLegacy");
        return delegate.refreshLegacy(refresh);
    }
}
