package dev.authsessions.application.port.in;

import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Map;

/** Creates a user or changes the given fields of an existing one. */
public interface UpsertUserUseCase {

    Result upsert(Command command);

    record Command(
            UserId id,
            Change<String> aud,
            Change<String> role,
            Change<String> email,
            Change<String> phone,
            Change<Map<String, Object>> appMetadata,
            Change<Map<String, Object>> userMetadata,
            Change<Boolean> isAnonymous,
            Change<Instant> bannedUntil) {
    }

    record Result(User user, boolean created) {
    }
}
