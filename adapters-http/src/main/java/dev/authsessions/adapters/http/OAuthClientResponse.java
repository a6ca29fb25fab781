package dev.authsessions.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.authsessions.domain.OAuthClient;

/** An OAuth client as the admin API shows it: never its secret, nor the secret's hash. */
@JsonPropertyOrder({"id", "client_name", "client_type", "created_at", "updated_at"})
record OAuthClientResponse(
        @JsonProperty("id") String id,
        @JsonProperty("client_name") String clientName,
        @JsonProperty("client_type") String clientType,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    static OAuthClientResponse of(OAuthClient client) {
        return new OAuthClientResponse(
                client.id().toString(),
                client.name(),
                client.type().value(),
                Timestamps.format(client.createdAt()),
                Timestamps.format(client.updatedAt()));
    }
}
