package dev.authsessions.application.fakes;

import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Every outbound port faked in memory and wired together (cascades, foreign keys), with a
 * {@link MutableClock} and seeded randomness, for service tests here and in other modules.
 */
public record InMemoryPorts(
        MutableClock clock,
        SeededRandomSource random,
        InMemoryUserRepository users,
        InMemorySessionRepository sessions,
        InMemoryOAuthClientRepository clients,
        FakeAccessTokenSigner signer,
        InMemoryMfaFactorRepository factors) {

    public static InMemoryPorts create() {
        InMemoryUserRepository users = new InMemoryUserRepository();
        InMemorySessionRepository sessions = new InMemorySessionRepository(users);
        return new InMemoryPorts(new MutableClock(), new SeededRandomSource(), users, sessions,
                new InMemoryOAuthClientRepository(sessions), new FakeAccessTokenSigner(),
                new InMemoryMfaFactorRepository(users, sessions));
    }

    /** Stores a new user with GoTrue's defaults, created at the clock's instant, and returns it. */
    public User newUser(String email) {
        Instant now = clock.peek();
        User user = new User(new UserId(randomUuid()), "authenticated", "authenticated", email, "",
                Map.of("provider", "email"), Map.of(), false, null, now, now, false);
        return users.upsert(user).user();
    }

    /** Stores the user again with {@code banned_until} set (null lifts the ban); returns it as stored. */
    public User ban(UserId id, Instant until) {
        User u = users.findById(id).orElseThrow();
        return users.upsert(new User(u.id(), u.aud(), u.role(), u.email(), u.phone(), u.appMetadata(),
                u.userMetadata(), u.isAnonymous(), until, u.createdAt(), u.updatedAt(), u.hasVerifiedFactor())).user();
    }

    public OAuthClient newPublicClient(String name) {
        return storeClient(name, OAuthClient.Type.PUBLIC, null);
    }

    public OAuthClient newConfidentialClient(String name, String secretHash) {
        return storeClient(name, OAuthClient.Type.CONFIDENTIAL, secretHash);
    }

    private OAuthClient storeClient(String name, OAuthClient.Type type, String secretHash) {
        Instant now = clock.peek();
        OAuthClient client = new OAuthClient(new OAuthClientId(randomUuid()), name, type, secretHash, now, now);
        clients.upsert(client);
        return client;
    }

    private UUID randomUuid() {
        byte[] b = random.nextBytes(16);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }
}
