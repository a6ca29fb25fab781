package dev.authsessions.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.port.out.MfaFactorRepository.Registration;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented behaviour of {@link MfaFactorRepository} (with the user's derived
 * {@code hasVerifiedFactor} and the sessions a removal downgrades), run against every implementation.
 * Timestamps are at PostgreSQL's precision (microseconds); ids are random, so a shared database
 * need not be emptied between tests.
 */
public abstract class MfaFactorRepositoryContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
    protected static final Instant T1 = T0.plusSeconds(30).plusNanos(111_000);
    protected static final Instant T2 = T0.plusSeconds(60).plusNanos(222_000);

    /** The repositories of one store. */
    public record Repositories(MfaFactorRepository factors, SessionRepository sessions, UserRepository users) {
    }

    /** Repositories over an empty or shared store; called before every test. */
    protected abstract Repositories createRepositories();

    /** Stores a factor row exactly as given (e.g. an unverified one, as GoTrue leaves mid-enrolment). */
    protected abstract void insertFactor(MfaFactor factor);

    private final Random random = new Random(11);
    private MfaFactorRepository factors;
    private SessionRepository sessions;
    private UserRepository users;
    private User alice;
    private User bob;

    @BeforeEach
    void createRepositoriesAndUsers() {
        Repositories repositories = createRepositories();
        factors = repositories.factors();
        sessions = repositories.sessions();
        users = repositories.users();
        alice = users.upsert(user("alice@example.com")).user();
        bob = users.upsert(user("bob@example.com")).user();
    }

    private static User user(String email) {
        return new User(new UserId(UUID.randomUUID()), "authenticated", "authenticated", email, "",
                Map.of("provider", "email"), Map.of(), false, null, T0, T0, false);
    }

    private static FactorId newFactorId() {
        return new FactorId(UUID.randomUUID());
    }

    private HmacKey randomKey() {
        byte[] bytes = new byte[HmacKey.LENGTH];
        random.nextBytes(bytes);
        return HmacKey.of(bytes);
    }

    /** A session on the factor (aal2) or on none (aal1), with one password claim. */
    private Session created(User owner, FactorId factor) {
        Session session = new Session(new SessionId(UUID.randomUUID()), owner.id(), T0, T0, factor,
                factor == null ? Aal.AAL1 : Aal.AAL2, null, null, "ua", "192.0.2.1", null, null, randomKey(), 0, null);
        sessions.create(session, new AmrClaim(AuthenticationMethod.PASSWORD, T0));
        return session;
    }

    private boolean hasVerifiedFactor(User user) {
        return users.findById(user.id()).orElseThrow().hasVerifiedFactor();
    }

    // ---- register and find ---------------------------------------------------------------------------------

    @Test
    void registerCreatesAVerifiedFactorWhichGivesItsUserAVerifiedFactor() {
        FactorId id = newFactorId();

        assertEquals(Registration.CREATED, factors.register(id, alice.id(), FactorType.TOTP, T0));

        assertEquals(Optional.of(MfaFactor.verified(id, alice.id(), FactorType.TOTP, T0)), factors.findById(id));
        assertTrue(hasVerifiedFactor(alice));
        assertFalse(hasVerifiedFactor(bob));
    }

    @Test
    void registeringTheSameFactorAgainUpdatesItAndKeepsItsCreationTime() {
        FactorId id = newFactorId();
        factors.register(id, alice.id(), FactorType.WEBAUTHN, T0);

        assertEquals(Registration.UPDATED, factors.register(id, alice.id(), FactorType.WEBAUTHN, T1));

        assertEquals(Optional.of(new MfaFactor(id, alice.id(), FactorType.WEBAUTHN, MfaFactor.Status.VERIFIED, T0, T1)),
                factors.findById(id));
    }

    @Test
    void registeringAnUnverifiedFactorVerifiesIt() {
        FactorId id = newFactorId();
        insertFactor(new MfaFactor(id, alice.id(), FactorType.PHONE, MfaFactor.Status.UNVERIFIED, T0, T0));
        assertFalse(hasVerifiedFactor(alice), "an unverified factor does not count");

        assertEquals(Registration.UPDATED, factors.register(id, alice.id(), FactorType.PHONE, T1));

        assertEquals(MfaFactor.Status.VERIFIED, factors.findById(id).orElseThrow().status());
        assertTrue(hasVerifiedFactor(alice));
    }

    @Test
    void anIdOfAnotherUsersFactorOrOfAnotherTypeIsAConflictAndChangesNothing() {
        FactorId id = newFactorId();
        factors.register(id, alice.id(), FactorType.TOTP, T0);
        MfaFactor stored = factors.findById(id).orElseThrow();

        assertEquals(Registration.CONFLICT, factors.register(id, bob.id(), FactorType.TOTP, T1));
        assertEquals(Registration.CONFLICT, factors.register(id, alice.id(), FactorType.PHONE, T1));

        assertEquals(Optional.of(stored), factors.findById(id));
        assertFalse(hasVerifiedFactor(bob));
    }

    /** How a registration racing the user's deletion ends: the user was read, then deleted before the insert. */
    @Test
    void registeringAFactorOfAUserThatIsGoneIsRefusedAsUserGoneAndStoresNothing() {
        FactorId id = newFactorId();
        assertTrue(users.delete(bob.id()));

        StorageConstraintException refused = assertThrows(StorageConstraintException.class,
                () -> factors.register(id, bob.id(), FactorType.TOTP, T0));

        assertEquals(StorageConstraintException.Violation.USER_GONE, refused.violation());
        assertEquals(Optional.empty(), factors.findById(id));
    }

    @Test
    void anUnknownFactorIsNotFound() {
        assertEquals(Optional.empty(), factors.findById(newFactorId()));
    }

    @Test
    void aFactorAddedByAStepUpIsFoundAsVerified() {
        FactorId id = newFactorId();
        Session session = created(alice, null);

        sessions.stepUp(session.id(), id, AuthenticationMethod.MFA_PHONE, randomKey(), T1).orElseThrow();

        assertEquals(Optional.of(MfaFactor.verified(id, alice.id(), FactorType.PHONE, T1)), factors.findById(id));
    }

    @Test
    void deletingAUserDeletesItsFactors() {
        FactorId id = newFactorId();
        factors.register(id, alice.id(), FactorType.TOTP, T0);

        assertTrue(users.delete(alice.id()));

        assertEquals(Optional.empty(), factors.findById(id));
    }

    // ---- remove --------------------------------------------------------------------------------------------

    @Test
    void removeDeletesTheFactorAndDowngradesExactlyTheSessionsOnIt() {
        FactorId totp = newFactorId();
        FactorId phone = newFactorId();
        Session steppedUp = created(alice, null);
        sessions.stepUp(steppedUp.id(), totp, AuthenticationMethod.TOTP, randomKey(), T1).orElseThrow();
        Session alsoOnTotp = created(alice, totp);
        sessions.stepUp(alsoOnTotp.id(), totp, AuthenticationMethod.TOTP, randomKey(), T1).orElseThrow();
        Session onPhone = created(alice, phone);
        sessions.stepUp(onPhone.id(), totp, AuthenticationMethod.TOTP, randomKey(), T1).orElseThrow();
        sessions.stepUp(onPhone.id(), phone, AuthenticationMethod.MFA_PHONE, randomKey(), T1).orElseThrow();
        FactorId bobsTotp = newFactorId();
        Session bobs = created(bob, null);
        sessions.stepUp(bobs.id(), bobsTotp, AuthenticationMethod.TOTP, randomKey(), T1).orElseThrow();
        Session onPhoneBefore = sessions.findById(onPhone.id()).orElseThrow();
        List<AmrClaim> onPhoneClaims = sessions.claimsOf(onPhone.id());
        Session bobsBefore = sessions.findById(bobs.id()).orElseThrow();
        Session steppedUpBefore = sessions.findById(steppedUp.id()).orElseThrow();

        Optional<MfaFactor> removed = factors.remove(alice.id(), totp, T2);

        assertEquals(Optional.of(MfaFactor.verified(totp, alice.id(), FactorType.TOTP, T1)), removed);
        assertEquals(Optional.empty(), factors.findById(totp));
        for (SessionId id : List.of(steppedUp.id(), alsoOnTotp.id())) {
            Session after = sessions.findById(id).orElseThrow();
            assertEquals(Aal.AAL1, after.aal());
            assertEquals(null, after.factorId());
            assertEquals(T2, after.updatedAt());
            assertEquals(List.of(new AmrClaim(AuthenticationMethod.PASSWORD, T0)), sessions.claimsOf(id));
        }
        Session downgraded = sessions.findById(steppedUp.id()).orElseThrow();
        assertEquals(steppedUpBefore.refreshTokenCounter(), downgraded.refreshTokenCounter());
        assertEquals(steppedUpBefore.refreshTokenHmacKey(), downgraded.refreshTokenHmacKey());
        assertEquals(steppedUpBefore.refreshedAt(), downgraded.refreshedAt());
        assertEquals(Optional.of(onPhoneBefore), sessions.findById(onPhone.id()), "a session on another factor");
        assertEquals(onPhoneClaims, sessions.claimsOf(onPhone.id()), "keeps even its claim of the same method");
        assertEquals(3, onPhoneClaims.size());
        assertEquals(Optional.of(bobsBefore), sessions.findById(bobs.id()));
        assertTrue(hasVerifiedFactor(alice), "the phone factor is left");

        assertTrue(factors.remove(alice.id(), phone, T2).isPresent());
        assertFalse(hasVerifiedFactor(alice));
        assertEquals(Aal.AAL1, sessions.findById(onPhone.id()).orElseThrow().aal());
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, T1), new AmrClaim(AuthenticationMethod.PASSWORD, T0)),
                sessions.claimsOf(onPhone.id()));
    }

    @Test
    void removingAnotherUsersFactorIsEmptyAndChangesNothing() {
        FactorId bobsFactor = newFactorId();
        Session bobs = created(bob, null);
        sessions.stepUp(bobs.id(), bobsFactor, AuthenticationMethod.TOTP, randomKey(), T1).orElseThrow();
        Session before = sessions.findById(bobs.id()).orElseThrow();

        assertEquals(Optional.empty(), factors.remove(alice.id(), bobsFactor, T2));

        assertTrue(factors.findById(bobsFactor).isPresent());
        assertEquals(Optional.of(before), sessions.findById(bobs.id()));
        assertEquals(2, sessions.claimsOf(bobs.id()).size());
    }

    @Test
    void removingAnUnknownFactorIsEmpty() {
        Session session = created(alice, null);

        assertEquals(Optional.empty(), factors.remove(alice.id(), newFactorId(), T2));

        assertEquals(Optional.of(session), sessions.findById(session.id()));
    }
}
