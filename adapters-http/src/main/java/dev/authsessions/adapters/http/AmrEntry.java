package dev.authsessions.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.authsessions.domain.AmrClaim;
import java.util.List;

/** One AMR claim as the JWT's {@code amr} writes it: the method and the epoch second it was proven. */
@JsonPropertyOrder({"method", "timestamp"})
record AmrEntry(@JsonProperty("method") String method, @JsonProperty("timestamp") long timestamp) {

    /** {@code claims} are already newest first. */
    static List<AmrEntry> of(List<AmrClaim> claims) {
        return claims.stream().map(c -> new AmrEntry(c.method().value(), c.timestamp().getEpochSecond())).toList();
    }
}
