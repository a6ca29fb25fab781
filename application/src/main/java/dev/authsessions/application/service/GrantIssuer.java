package dev.authsessions.application.service;

import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.ReuseCause;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Builds the token pair for a session at its current counter; shared by start, refresh and step-up. The
 * access token lives for the configured lifetime, but never past the end of the session's low-AAL grace
 * period when that applies (as GoTrue's {@code GenerateAccessToken}); {@code exp}, {@code expires_at} and
 * {@code expires_in} are whole seconds, so the end is rounded down to stay inside the period.
 */
final class GrantIssuer {
    private final AccessTokenSigner signer;
    private final SessionSettings settings;

    GrantIssuer(AccessTokenSigner signer, SessionSettings settings) {
        this.signer = signer;
        this.settings = settings;
    }

    TokenGrant issue(Session session, User user, List<AmrClaim> claims, Instant now, List<ReuseCause> reuseCauses, boolean reused) {
        return issue(session, user, claims, now, session.currentRefreshToken(), false, reuseCauses, reused);
    }

    /** With a given refresh token: a v1 token ({@code legacy}), or the v2 token a v1 refresh moved to. */
    TokenGrant issue(Session session, User user, List<AmrClaim> claims, Instant now, String refreshToken, boolean legacy,
            List<ReuseCause> reuseCauses, boolean reused) {
        Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
        Instant expiresAt = issuedAt.plus(settings.accessTokenLifetime());
        Optional<Instant> lowAalDeadline = settings.sessionPolicy().lowAalDeadline(session, user)
                .map(deadline -> Instant.ofEpochSecond(deadline.getEpochSecond()));
        if (lowAalDeadline.isPresent() && lowAalDeadline.get().isBefore(expiresAt)) {
            expiresAt = lowAalDeadline.get();
        }
        String accessToken = signer.sign(new AccessTokenSigner.Claims(
                user,
                session.id(),
                session.aal(),
                AmrClaim.newestFirst(claims),
                issuedAt,
                expiresAt,
                session.oauthClientId(),
                session.scopes()));
        long expiresIn = expiresAt.getEpochSecond() - now.getEpochSecond();
        return new TokenGrant(accessToken, expiresAt, expiresIn, refreshToken, user, session, reused, reuseCauses, legacy);
    }
}
