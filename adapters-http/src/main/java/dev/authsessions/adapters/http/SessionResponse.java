package dev.authsessions.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.authsessions.domain.Session;

/** A session as the admin API shows it; never its HMAC key or counter. */
@JsonPropertyOrder({"id", "user_id", "created_at", "updated_at", "refreshed_at", "user_agent", "ip", "aal", "factor_id", "not_after",
        "tag", "oauth_client_id", "scopes"})
record SessionResponse(
        @JsonProperty("id") String id,
        @JsonProperty("user_id") String userId,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("refreshed_at") String refreshedAt,
        @JsonProperty("user_agent") String userAgent,
        @JsonProperty("ip") String ip,
        @JsonProperty("aal") String aal,
        @JsonProperty("factor_id") String factorId,
        @JsonProperty("not_after") String notAfter,
        @JsonProperty("tag") String tag,
        @JsonProperty("oauth_client_id") String oauthClientId,
        @JsonProperty("scopes") String scopes) {

    static SessionResponse of(Session session) {
        return new SessionResponse(
                session.id().toString(),
                session.userId().toString(),
                Timestamps.format(session.createdAt()),
                Timestamps.format(session.updatedAt()),
                Timestamps.format(session.refreshedAt()),
                session.userAgent(),
                session.ip(),
                session.aal().value(),
                session.factorId() == null ? null : session.factorId().toString(),
                Timestamps.format(session.notAfter()),
                session.tag(),
                session.oauthClientId() == null ? null : session.oauthClientId().toString(),
                session.scopes() == null ? null : session.scopes().value());
    }
}
