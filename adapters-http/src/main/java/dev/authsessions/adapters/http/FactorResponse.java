package dev.authsessions.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.authsessions.domain.MfaFactor;

/** An MFA factor as the admin API shows it. */
@JsonPropertyOrder({"id", "user_id", "factor_type", "status", "created_at", "updated_at"})
record FactorResponse(
        @JsonProperty("id") String id,
        @JsonProperty("user_id") String userId,
        @JsonProperty("factor_type") String factorType,
        @JsonProperty("status") String status,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    static FactorResponse of(MfaFactor factor) {
        return new FactorResponse(
                factor.id().toString(),
                factor.userId().toString(),
                factor.type().value(),
                factor.status().value(),
                Timestamps.format(factor.createdAt()),
                Timestamps.format(factor.updatedAt()));
    }
}
