package dev.authsessions.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import java.util.List;

/** A session as its own user sees it in {@code GET /sessions}; {@code current} marks the one the access token belongs to. */
@JsonPropertyOrder({"id", "created_at", "updated_at", "refreshed_at", "user_agent", "ip", "aal", "amr", "tag", "not_after",
        "oauth_client_id", "current"})
record OwnSessionResponse(
        @JsonProperty("id") String id,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("refreshed_at") String refreshedAt,
        @JsonProperty("user_agent") String userAgent,
        @JsonProperty("ip") String ip,
        @JsonProperty("aal") String aal,
        @JsonProperty("amr") List<AmrEntry> amr,
        @JsonProperty("tag") String tag,
        @JsonProperty("not_after") String notAfter,
        @JsonProperty("oauth_client_id") String oauthClientId,
        @JsonProperty("current") boolean current) {

    static OwnSessionResponse of(SessionDetails details, SessionId current) {
        Session session = details.session();
        return new OwnSessionResponse(
                session.id().toString(),
                Timestamps.format(session.createdAt()),
                Timestamps.format(session.updatedAt()),
                Timestamps.format(session.refreshedAt()),
                session.userAgent(),
                session.ip(),
                session.aal().value(),
                AmrEntry.of(details.claims()),
                session.tag(),
                Timestamps.format(session.notAfter()),
                session.oauthClientId() == null ? null : session.oauthClientId().toString(),
                session.id().equals(current));
    }
}
