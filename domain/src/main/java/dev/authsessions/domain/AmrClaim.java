package dev.authsessions.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** One authentication method a session has been proven with, and when. */
public record AmrClaim(AuthenticationMethod method, Instant timestamp) {
    /** The order of the JWT's {@code amr}: newest first. */
    public static final Comparator<AmrClaim> NEWEST_FIRST =
            Comparator.comparing(AmrClaim::timestamp).reversed().thenComparing(c -> c.method().value());

    public AmrClaim {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    public static List<AmrClaim> newestFirst(List<AmrClaim> claims) {
        return claims.stream().sorted(NEWEST_FIRST).toList();
    }
}
