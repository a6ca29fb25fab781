package dev.authsessions.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a row of {@code auth.mfa_factors} a session authority needs. A user with at least
 * one verified factor can reach aal2.
 */
public record MfaFactor(FactorId id, UserId userId, FactorType type, Status status, Instant createdAt, Instant updatedAt) {

    /** The {@code auth.factor_status} enum. */
    public enum Status {
        UNVERIFIED("unverified"), VERIFIED("verified");

        private final String value;

        Status(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        public static Optional<Status> fromValue(String value) {
            for (Status status : values()) {
                if (status.value.equals(value)) {
                    return Optional.of(status);
                }
            }
            return Optional.empty();
        }
    }

    public MfaFactor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "user id");
        Objects.requireNonNull(type, "factor type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "created at");
        Objects.requireNonNull(updatedAt, "updated at");
    }

    /** A factor verified at {@code now}, as a step-up or an operator registers it. */
    public static MfaFactor verified(FactorId id, UserId userId, FactorType type, Instant now) {
        return new MfaFactor(id, userId, type, Status.VERIFIED, now, now);
    }

    public boolean isVerified() {
        return status == Status.VERIFIED;
    }
}
