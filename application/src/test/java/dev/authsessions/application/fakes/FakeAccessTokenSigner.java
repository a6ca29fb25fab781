package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.AccessTokenVerifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs "access tokens" as opaque strings remembered with their claims, and verifies only the
 * strings it issued, refusing them from their expiry on (as a JWT's {@code exp}).
 */
public final class FakeAccessTokenSigner implements AccessTokenSigner, AccessTokenVerifier {
    private final Map<String, Claims> issued = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    @Override
    public String sign(Claims claims) {
        String token = "fake-access-token." + sequence.incrementAndGet();
        issued.put(token, claims);
        return token;
    }

    @Override
    public Map<String, Object> publicJwks() {
        return Map.of("keys", List.of(Map.of("kty", "EC", "crv", "P-256", "kid", "fake-key", "use", "sig")));
    }

    @Override
    public Optional<Verified> verify(String accessToken, Instant now) {
        if (accessToken == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(issued.get(accessToken))
                .filter(claims -> now.isBefore(claims.expiresAt()))
                .map(claims -> new Verified(claims.user().id(), claims.sessionId(), claims.expiresAt()));
    }

    /** What a token issued by this signer says; empty for anything it did not issue. */
    public Optional<Claims> claimsOf(String accessToken) {
        return Optional.ofNullable(issued.get(accessToken));
    }

    public int issuedCount() {
        return issued.size();
    }
}
