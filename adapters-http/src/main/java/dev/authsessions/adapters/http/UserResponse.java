package dev.authsessions.adapters.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.authsessions.domain.User;
import java.util.Map;

/** A user as GoTrue writes it: email and phone are "" when unset, banned_until is left out when null. */
@JsonPropertyOrder({"id", "aud", "role", "email", "phone", "app_metadata", "user_metadata", "is_anonymous", "banned_until",
        "created_at", "updated_at"})
record UserResponse(
        @JsonProperty("id") String id,
        @JsonProperty("aud") String aud,
        @JsonProperty("role") String role,
        @JsonProperty("email") String email,
        @JsonProperty("phone") String phone,
        @JsonProperty("app_metadata") Map<String, Object> appMetadata,
        @JsonProperty("user_metadata") Map<String, Object> userMetadata,
        @JsonProperty("is_anonymous") boolean isAnonymous,
        @JsonProperty("banned_until") @JsonInclude(JsonInclude.Include.NON_NULL) String bannedUntil,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    static UserResponse of(User user) {
        return new UserResponse(
                user.id().toString(),
                user.aud(),
                user.role(),
                user.email() == null ? "" : user.email(),
                user.phone() == null ? "" : user.phone(),
                user.appMetadata(),
                user.userMetadata(),
                user.isAnonymous(),
                Timestamps.format(user.bannedUntil()),
                Timestamps.format(user.createdAt()),
                Timestamps.format(user.updatedAt()));
    }
}
