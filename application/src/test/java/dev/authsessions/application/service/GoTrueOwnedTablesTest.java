package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.Change;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Beside GoTrue, the admin writes to users, MFA factors and OAuth clients are refused with
 * {@code managed_by_gotrue} and leave every table as it was; standalone the same calls go through.
 */
class GoTrueOwnedTablesTest {
    private InMemoryPorts ports;
    private User alice;
    private OAuthClient client;
    private MfaFactor factor;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        alice = ports.newUser("alice@example.com");
        client = ports.newPublicClient("mobile app");
        factor = new RegisterFactorService(ports.users(), ports.factors(), ports.clock(), DatabaseMode.STANDALONE)
                .register(new RegisterFactorUseCase.Command(alice.id(), new FactorId(UUID.randomUUID()), FactorType.TOTP))
                .factor();
        ports.clock().advance(Duration.ofSeconds(10));
    }

    private static UpsertUserUseCase.Command renaming(UserId id, String email) {
        return new UpsertUserUseCase.Command(id, Change.absent(), Change.absent(), Change.to(email), Change.absent(),
                Change.absent(), Change.absent(), Change.absent(), Change.absent());
    }

    private static UpsertOAuthClientUseCase.Command publicClient(OAuthClientId id, String name) {
        return new UpsertOAuthClientUseCase.Command(id, name, OAuthClient.Type.PUBLIC, null);
    }

    private void assertRefusedAndNothingChanged(Executable write, String owned) {
        Optional<User> userBefore = ports.users().findById(alice.id());
        Optional<OAuthClient> clientBefore = ports.clients().findById(client.id());
        Optional<MfaFactor> factorBefore = ports.factors().findById(factor.id());

        Rejection rejection = assertThrows(Rejection.class, write);

        assertEquals(Rejection.Kind.CONFLICT, rejection.kind());
        assertEquals(ErrorCode.MANAGED_BY_GOTRUE, rejection.code());
        assertEquals("managed_by_gotrue", rejection.code().value());
        assertTrue(rejection.getMessage().startsWith("Beside Supabase Auth, " + owned
                + " are managed by Supabase Auth (GoTrue); use its "), rejection.getMessage());
        assertTrue(rejection.getMessage().endsWith("; nothing was changed"), rejection.getMessage());
        assertEquals(userBefore, ports.users().findById(alice.id()));
        assertEquals(clientBefore, ports.clients().findById(client.id()));
        assertEquals(factorBefore, ports.factors().findById(factor.id()));
    }

    @Test
    void besideGoTrueCreatingOrChangingAUserIsRefusedAndWritesNothing() {
        UpsertUserService service = new UpsertUserService(ports.users(), ports.clock(), DatabaseMode.BESIDE_GOTRUE);
        UserId newcomer = new UserId(UUID.randomUUID());

        assertRefusedAndNothingChanged(() -> service.upsert(renaming(alice.id(), "alice@new.example.com")), "users");
        assertRefusedAndNothingChanged(() -> service.upsert(renaming(newcomer, "bob@example.com")), "users");
        assertEquals(Optional.empty(), ports.users().findById(newcomer));
    }

    @Test
    void standaloneTheSameUserWritesGoThrough() {
        UpsertUserService service = new UpsertUserService(ports.users(), ports.clock(), DatabaseMode.STANDALONE);

        service.upsert(renaming(alice.id(), "alice@new.example.com"));

        assertEquals("alice@new.example.com", ports.users().findById(alice.id()).orElseThrow().email());
    }

    @Test
    void besideGoTrueDeletingAUserIsRefusedKnownOrNot() {
        DeleteUserService service = new DeleteUserService(ports.users(), DatabaseMode.BESIDE_GOTRUE);

        assertRefusedAndNothingChanged(() -> service.delete(alice.id()), "users");
        // Not a 404 either: the route is not served here, whatever the id.
        assertRefusedAndNothingChanged(() -> service.delete(new UserId(UUID.randomUUID())), "users");
    }

    @Test
    void standaloneDeletingAUserGoesThrough() {
        new DeleteUserService(ports.users(), DatabaseMode.STANDALONE).delete(alice.id());

        assertEquals(Optional.empty(), ports.users().findById(alice.id()));
    }

    @Test
    void besideGoTrueCreatingOrReplacingAnOAuthClientIsRefusedAndWritesNothing() {
        UpsertOAuthClientService service = new UpsertOAuthClientService(ports.clients(), ports.clock(), DatabaseMode.BESIDE_GOTRUE);
        OAuthClientId newcomer = new OAuthClientId(UUID.randomUUID());

        assertRefusedAndNothingChanged(() -> service.upsert(publicClient(client.id(), "renamed")), "OAuth clients");
        assertRefusedAndNothingChanged(() -> service.upsert(publicClient(newcomer, "web")), "OAuth clients");
        assertEquals(Optional.empty(), ports.clients().findById(newcomer));
    }

    @Test
    void standaloneTheSameOAuthClientWriteGoesThrough() {
        new UpsertOAuthClientService(ports.clients(), ports.clock(), DatabaseMode.STANDALONE)
                .upsert(publicClient(client.id(), "renamed"));

        assertEquals("renamed", ports.clients().findById(client.id()).orElseThrow().name());
    }

    @Test
    void besideGoTrueDeletingAnOAuthClientIsRefused() {
        DeleteOAuthClientService service = new DeleteOAuthClientService(ports.clients(), DatabaseMode.BESIDE_GOTRUE);

        assertRefusedAndNothingChanged(() -> service.delete(client.id()), "OAuth clients");
    }

    @Test
    void standaloneDeletingAnOAuthClientGoesThrough() {
        new DeleteOAuthClientService(ports.clients(), DatabaseMode.STANDALONE).delete(client.id());

        assertEquals(Optional.empty(), ports.clients().findById(client.id()));
    }

    @Test
    void besideGoTrueRegisteringAFactorIsRefusedAndWritesNothing() {
        RegisterFactorService service = new RegisterFactorService(ports.users(), ports.factors(), ports.clock(),
                DatabaseMode.BESIDE_GOTRUE);
        FactorId newcomer = new FactorId(UUID.randomUUID());

        assertRefusedAndNothingChanged(() -> service.register(
                new RegisterFactorUseCase.Command(alice.id(), newcomer, FactorType.TOTP)), "MFA factors");
        assertRefusedAndNothingChanged(() -> service.register(
                new RegisterFactorUseCase.Command(alice.id(), factor.id(), FactorType.TOTP)), "MFA factors");
        assertEquals(Optional.empty(), ports.factors().findById(newcomer));
    }

    @Test
    void standaloneRegisteringAFactorGoesThrough() {
        FactorId newcomer = new FactorId(UUID.randomUUID());

        new RegisterFactorService(ports.users(), ports.factors(), ports.clock(), DatabaseMode.STANDALONE)
                .register(new RegisterFactorUseCase.Command(alice.id(), newcomer, FactorType.TOTP));

        assertTrue(ports.factors().findById(newcomer).isPresent());
    }

    @Test
    void besideGoTrueRemovingAFactorIsRefusedAndTheFactorStays() {
        RemoveFactorService service = new RemoveFactorService(ports.users(), ports.factors(), ports.clock(),
                DatabaseMode.BESIDE_GOTRUE);

        assertRefusedAndNothingChanged(() -> service.remove(alice.id(), factor.id()), "MFA factors");
    }

    @Test
    void standaloneRemovingAFactorGoesThrough() {
        new RemoveFactorService(ports.users(), ports.factors(), ports.clock(), DatabaseMode.STANDALONE)
                .remove(alice.id(), factor.id());

        assertEquals(Optional.empty(), ports.factors().findById(factor.id()));
    }

    private TokenGrant start(User user) {
        return new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(), ports.random(),
                ports.clock(), SessionSettings.defaults())
                .start(new StartSessionUseCase.Command(user.id(), AuthenticationMethod.PASSWORD, null, null, null,
                        "ua", "192.0.2.1", null, null, null));
    }

    private StepUpSessionService stepUp(DatabaseMode mode) {
        return new StepUpSessionService(ports.sessions(), ports.factors(), ports.signer(), ports.random(), ports.clock(),
                SessionSettings.defaults(), mode);
    }

    @Test
    void besideGoTrueAStepUpWithAFactorGoTrueDoesNotHaveIsRefusedAndEnrollsNothing() {
        TokenGrant grant = start(alice);
        FactorId unknown = new FactorId(UUID.randomUUID());

        assertRefusedAndNothingChanged(() -> stepUp(DatabaseMode.BESIDE_GOTRUE).stepUp(
                new StepUpSessionUseCase.Command(grant.session().id(), unknown, AuthenticationMethod.TOTP)), "MFA factors");

        assertEquals(Optional.empty(), ports.factors().findById(unknown));
        assertEquals(Aal.AAL1, ports.sessions().findById(grant.session().id()).orElseThrow().aal());
    }

    @Test
    void besideGoTrueAStepUpWithGoTruesVerifiedFactorGoesThrough() {
        TokenGrant grant = start(alice);

        TokenGrant stepped = stepUp(DatabaseMode.BESIDE_GOTRUE).stepUp(
                new StepUpSessionUseCase.Command(grant.session().id(), factor.id(), AuthenticationMethod.TOTP));

        assertEquals(Aal.AAL2, stepped.session().aal());
    }

    @Test
    void standaloneAStepUpEnrollsAFactorItDoesNotKnowYet() {
        TokenGrant grant = start(alice);
        FactorId unknown = new FactorId(UUID.randomUUID());

        stepUp(DatabaseMode.STANDALONE).stepUp(
                new StepUpSessionUseCase.Command(grant.session().id(), unknown, AuthenticationMethod.TOTP));

        assertTrue(ports.factors().findById(unknown).isPresent());
    }
}
