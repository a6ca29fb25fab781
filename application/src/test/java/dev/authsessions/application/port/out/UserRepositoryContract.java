package dev.authsessions.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented behaviour of {@link UserRepository}, run against every implementation. Timestamps
 * are at PostgreSQL's precision (microseconds). Ids are random, so a shared database need not be
 * emptied between tests.
 */
public abstract class UserRepositoryContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    private UserRepository users;

    /** A repository over an empty or shared store; called before every test. */
    protected abstract UserRepository createUserRepository();

    /** Marks the user deleted the way GoTrue does ({@code deleted_at} set) without removing the row. */
    protected abstract void softDeleteUser(UserId id, Instant at);

    @BeforeEach
    void createRepository() {
        users = createUserRepository();
    }

    private static User user(UserId id, String email, Instant bannedUntil) {
        return new User(id, "authenticated", "authenticated", email, "+15550100",
                Map.of("provider", "email", "providers", List.of("email", "google")),
                Map.of("name", "Ada", "settings", Map.of("dark", true)),
                false, bannedUntil, T0, T0.plusSeconds(1).plusNanos(654_000), false);
    }

    private static UserId newId() {
        return new UserId(UUID.randomUUID());
    }

    @Test
    void upsertOfANewUserCreatesItAndReturnsItAsStored() {
        User user = user(newId(), "ada@example.com", T0.plusSeconds(3600).plusNanos(1_000));

        UserRepository.Upserted upserted = users.upsert(user);

        assertTrue(upserted.created());
        assertEquals(user, upserted.user());
        assertEquals(Optional.of(user), users.findById(user.id()));
    }

    @Test
    void upsertOfAnExistingUserReplacesItsFields() {
        UserId id = newId();
        users.upsert(user(id, "ada@example.com", T0.plusSeconds(60)));
        User changed = new User(id, "other-aud", "service_role", "grace@example.com", "+15550199",
                Map.of("provider", "google"), Map.of(), true, null, T0, T0.plusSeconds(5).plusNanos(7_000), false);

        UserRepository.Upserted upserted = users.upsert(changed);

        assertFalse(upserted.created());
        assertEquals(changed, upserted.user());
        assertEquals(Optional.of(changed), users.findById(id));
    }

    @Test
    void nullableFieldsRoundTripAsNullOrEmpty() {
        User bare = new User(newId(), "authenticated", "authenticated", null, null, Map.of(), Map.of(),
                true, null, T0, T0, false);

        users.upsert(bare);

        User found = users.findById(bare.id()).orElseThrow();
        assertEquals(bare, found);
        assertEquals(null, found.email());
        assertEquals(null, found.bannedUntil());
        assertTrue(found.isAnonymous());
    }

    @Test
    void anUnknownUserIsNotFound() {
        assertEquals(Optional.empty(), users.findById(newId()));
    }

    @Test
    void deleteRemovesExactlyThatUser() {
        User kept = user(newId(), "kept@example.com", null);
        User gone = user(newId(), "gone@example.com", null);
        users.upsert(kept);
        users.upsert(gone);

        assertTrue(users.delete(gone.id()));

        assertEquals(Optional.empty(), users.findById(gone.id()));
        assertEquals(Optional.of(kept), users.findById(kept.id()));
        assertFalse(users.delete(gone.id()), "a second delete finds nothing");
    }

    @Test
    void deletingAnUnknownUserDeletesNothing() {
        assertFalse(users.delete(newId()));
    }

    @Test
    void aSoftDeletedUserIsNotFound() {
        User user = user(newId(), "soft@example.com", null);
        users.upsert(user);

        softDeleteUser(user.id(), T0.plusSeconds(10));

        assertEquals(Optional.empty(), users.findById(user.id()));
    }
}
