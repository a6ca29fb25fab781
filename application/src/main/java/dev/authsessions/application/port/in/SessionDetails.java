package dev.authsessions.application.port.in;

import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.Session;
import java.util.List;
import java.util.Objects;

/** A session as the listings show it: the row and its AMR claims, newest first. */
public record SessionDetails(Session session, List<AmrClaim> claims) {
    public SessionDetails {
        Objects.requireNonNull(session, "session");
        claims = AmrClaim.newestFirst(claims);
    }
}
