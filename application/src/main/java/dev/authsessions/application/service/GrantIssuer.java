package dev.authsessions.application.service;

import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.ReuseCause;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.time.Instant;
import java.util.List;

/** Builds the token pair for a session at its current counter; shared by start, refresh and step-up. */
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
