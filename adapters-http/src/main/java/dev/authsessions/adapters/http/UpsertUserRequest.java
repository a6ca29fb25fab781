package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.Change;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Map;

/** The body of {@code PUT /admin/users/{id}}: every field optional; an explicit null clears it. */
record UpsertUserRequest(
        Change<String> aud,
        Change<String> role,
        Change<String> email,
        Change<String> phone,
        Change<Map<String, Object>> appMetadata,
        Change<Map<String, Object>> userMetadata,
        Change<Boolean> isAnonymous,
        Change<Instant> bannedUntil) {

    /** {@code auth.users} keeps aud, role and email in varchar(255); phone is held to the same (it is in every token). */
    static final int MAX_SHORT_TEXT = 255;

    static UpsertUserRequest from(JsonFields fields) {
        JsonFields body = fields.only("aud", "role", "email", "phone", "app_metadata", "user_metadata", "is_anonymous",
                "banned_until");
        return new UpsertUserRequest(
                body.stringChange("aud", MAX_SHORT_TEXT),
                body.stringChange("role", MAX_SHORT_TEXT),
                body.stringChange("email", MAX_SHORT_TEXT),
                body.stringChange("phone", MAX_SHORT_TEXT),
                body.objectChange("app_metadata", AccessTokenLimits.MAX_METADATA_BYTES),
                body.objectChange("user_metadata", AccessTokenLimits.MAX_METADATA_BYTES),
                body.booleanChange("is_anonymous"),
                body.instantChange("banned_until"));
    }

    UpsertUserUseCase.Command toCommand(UserId id) {
        return new UpsertUserUseCase.Command(id, aud, role, email, phone, appMetadata, userMetadata, isAnonymous, bannedUntil);
    }
}
