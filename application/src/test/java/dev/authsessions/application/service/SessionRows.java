package dev.authsessions.application.service;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import java.time.Instant;

/** Sessions stored straight into the fakes with the times a test needs (no service sets them in the past). */
final class SessionRows {
    private final InMemoryPorts ports;

    SessionRows(InMemoryPorts ports) {
        this.ports = ports;
    }

    Session store(User owner, Instant createdAt, Instant notAfter, Instant refreshedAt, OAuthClientId client) {
        Session session = new Session(SessionId.fromRandomBytes(ports.random().nextBytes(16)), owner.id(), createdAt, createdAt,
                null, Aal.AAL1, notAfter, refreshedAt, "ua", "192.0.2.1", null, client,
                HmacKey.of(ports.random().nextBytes(HmacKey.LENGTH)), 0, null);
        ports.sessions().create(session, new AmrClaim(AuthenticationMethod.PASSWORD, createdAt));
        return session;
    }

    Session store(User owner, Instant createdAt) {
        return store(owner, createdAt, null, null, null);
    }
}
