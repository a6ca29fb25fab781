package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.UpsertOAuthClientUseCase;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The body of {@code PUT /admin/oauth-clients/{id}}, a whole client (an update replaces it): every
 * field optional, {@code client_type} confidential by default. Whether the secret fits the type is
 * the use case's rule.
 */
record UpsertOAuthClientRequest(String clientName, OAuthClient.Type clientType, String clientSecret) {

    private static final String TYPES =
            Arrays.stream(OAuthClient.Type.values()).map(OAuthClient.Type::value).collect(Collectors.joining(", "));

    static UpsertOAuthClientRequest from(JsonFields fields) {
        JsonFields body = fields.only("client_name", "client_type", "client_secret");
        return new UpsertOAuthClientRequest(
                body.string("client_name").orElse(null),
                body.oneOf("client_type", OAuthClient.Type::fromValue, TYPES).orElse(null),
                body.string("client_secret").orElse(null));
    }

    UpsertOAuthClientUseCase.Command toCommand(OAuthClientId id) {
        return new UpsertOAuthClientUseCase.Command(id, clientName, clientType, clientSecret);
    }

    @Override
    public String toString() {
        return "UpsertOAuthClientRequest[clientName=" + clientName + ", clientType=" + clientType + ", secret redacted]";
    }
}
