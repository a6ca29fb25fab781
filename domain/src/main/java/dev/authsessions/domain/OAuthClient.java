package dev.authsessions.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A row of {@code auth.oauth_clients}. A confidential client always has a secret hash (base64url of
 * SHA-256 of the secret); a public client has none.
 */
public record OAuthClient(
        OAuthClientId id,
        String name,
        Type type,
        String secretHash,
        Instant createdAt,
        Instant updatedAt) {

    /** The {@code auth.oauth_client_type} enum. */
    public enum Type {
        PUBLIC("public"), CONFIDENTIAL("confidential");

        private final String value;

        Type(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        public static java.util.Optional<Type> fromValue(String value) {
            for (Type type : values()) {
                if (type.value.equals(value)) {
                    return java.util.Optional.of(type);
                }
            }
            return java.util.Optional.empty();
        }
    }

    public OAuthClient {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        if (type == Type.CONFIDENTIAL && (secretHash == null || secretHash.isEmpty())) {
            throw new IllegalArgumentException("a confidential client needs a secret");
        }
        if (type == Type.PUBLIC && secretHash != null) {
            throw new IllegalArgumentException("a public client has no secret");
        }
    }
}
