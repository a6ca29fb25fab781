package dev.authsessions.application.port.in;

import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import java.util.Objects;

/**
 * Creates or replaces an OAuth client. A confidential client needs a secret, a public client must
 * not have one; only the secret's hash is stored.
 */
public interface UpsertOAuthClientUseCase {

    /** @throws Rejection {@code validation_failed} for a missing, forbidden or oversized field */
    Result upsert(Command command);

    /** {@code clientType} null means confidential, the table's default. */
    record Command(OAuthClientId id, String clientName, OAuthClient.Type clientType, String clientSecret) {
        public Command {
            Objects.requireNonNull(id, "oauth client id");
        }

        @Override
        public String toString() {
            return "UpsertOAuthClientUseCase.Command[id=" + id + ", clientType=" + clientType + ", secret redacted]";
        }
    }

    record Result(OAuthClient client, boolean created) {
    }
}
