package dev.authsessions.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.authsessions.application.port.in.SessionDetails;
import java.util.List;

/** A session as the admin API reads it: every column but the HMAC key and counter, and its AMR claims. */
@JsonPropertyOrder({"id", "user_id", "created_at", "updated_at", "refreshed_at", "user_agent", "ip", "aal", "factor_id", "amr",
        "not_after", "tag", "oauth_client_id", "scopes"})
record SessionDetailsResponse(
        @JsonProperty("id") String id,
        @JsonProperty("user_id") String userId,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("refreshed_at") String refreshedAt,
        @JsonProperty("user_agent") String userAgent,
        @JsonProperty("ip") String ip,
        @JsonProperty("aal") String aal,
        @JsonProperty("factor_id") String factorId,
        @JsonProperty("amr") List<AmrEntry> amr,
        @JsonProperty("not_after") String notAfter,
        @JsonProperty("tag") String tag,
        @JsonProperty("oauth_client_id") String oauthClientId,
        @JsonProperty("scopes") String scopes) {

    static SessionDetailsResponse of(SessionDetails details) {
        SessionResponse row = SessionResponse.of(details.session());
        return new SessionDetailsResponse(row.id(), row.userId(), row.createdAt(), row.updatedAt(), row.refreshedAt(),
                row.userAgent(), row.ip(), row.aal(), row.factorId(), AmrEntry.of(details.claims()), row.notAfter(), row.tag(),
                row.oauthClientId(), row.scopes());
    }
}
