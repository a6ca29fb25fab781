package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.ForwardingSessionRepository;
import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.fakes.RecordingSessionEvents;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.RefreshSessionUseCase.Command;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.RefreshTokenUpgrade;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.SessionPolicy;
import dev.authsessions.domain.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The refresh grant with legacy (v1) tokens over the in-memory fakes: format, session rules, events, upgrade. */
class RefreshLegacySessionServiceTest {
    private final RecordingSessionEvents events = new RecordingSessionEvents();
    private InMemoryPorts ports;
    private User alice;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        alice = ports.newUser("alice@example.com");
    }

    private RefreshSessionService service(SessionRepository sessions, SessionPolicy policy, boolean singlePerUser,
            RefreshTokenUpgrade upgrade) {
        SessionSettings settings = new SessionSettings(Duration.ofHours(1), RefreshTokenRules.DEFAULTS, policy,
                singlePerUser, List.of(), upgrade);
        return new RefreshSessionService(sessions, new ClientAuthentication(ports.clients()), ports.signer(),
                ports.clock(), settings, events, ports.random());
    }

    private RefreshSessionService service() {
        return service(ports.sessions(), SessionPolicy.NONE, false, RefreshTokenUpgrade.NONE);
    }

    private static Command command(String token) {
        return new Command(token, "ua", "192.0.2.1", null, null);
    }

    /** A v1 session as GoTrue writes it, created at {@code createdAt}, with one live token; returns the token. */
    private String legacySession(SessionId id, Instant createdAt, String token) {
        ports.sessions().insertLegacySession(new Session(id, alice.id(), createdAt, createdAt, null, Aal.AAL1, null, null,
                "ua", "192.0.2.1", null, null, null, 0, null), new AmrClaim(AuthenticationMethod.PASSWORD, createdAt));
        ports.sessions().insertLegacyToken(token, alice.id(), false, createdAt, null, id);
        return token;
    }

    private static SessionId newId() {
        return new SessionId(UUID.randomUUID());
    }

    @Test
    void malformedTwelveCharacterTokensAreRefusedWithoutAnyRepositoryCall() {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        RefreshSessionService recorded = service(new ForwardingSessionRepository(ports.sessions()) {
            @Override
            protected void onCall(String method) {
                calls.add(method);
            }
        }, SessionPolicy.NONE, false, RefreshTokenUpgrade.NONE);

        for (String malformed : List.of("ABCDEFGHIJKL", "abcdefgh-jkl", "abcdéfghijkl", "abcdefghijk ", "abc+efghijkl")) {
            Rejection rejection = assertThrows(Rejection.class, () -> recorded.refresh(command(malformed)));
            assertEquals(ErrorCode.VALIDATION_FAILED, rejection.code());
        }
        assertEquals(List.of(), calls);
    }

    @Test
    void aSwapReportsARotationAndTheParentAgainAReuseAndAStaleTokenARejectionThatKeepsTheSession() {
        SessionId id = newId();
        String root = legacySession(id, ports.clock().peek(), "aaaabbbbcccc");
        ports.clock().advance(Duration.ofMinutes(1));

        TokenGrant swapped = service().refresh(command(root));
        assertTrue(swapped.legacy());
        assertFalse(swapped.reused());
        assertTrue(swapped.refreshToken().matches("[a-z2-7]{12}"));
        TokenGrant again = service().refresh(command(root));
        assertTrue(again.reused());
        assertEquals(swapped.refreshToken(), again.refreshToken());
        service().refresh(command(swapped.refreshToken()));
        ports.clock().advance(Duration.ofSeconds(11));
        Rejection used = assertThrows(Rejection.class, () -> service().refresh(command(root)));
        assertEquals(ErrorCode.REFRESH_TOKEN_ALREADY_USED, used.code());

        assertEquals(List.of("rotated", "reuse-allowed ", "rotated", "reuse-rejected session-kept"), events.events());
        assertTrue(ports.sessions().findById(id).isPresent());
    }

    @Test
    void aV2TokenNamingALegacySessionIsNotFound() {
        SessionId id = newId();
        legacySession(id, ports.clock().peek(), "aaaabbbbdddd");
        byte[] key = new byte[HmacKey.LENGTH];
        String forged = RefreshToken.encode(id, 0, HmacKey.of(key));

        Rejection rejection = assertThrows(Rejection.class, () -> service().refresh(command(forged)));
        assertEquals(ErrorCode.REFRESH_TOKEN_NOT_FOUND, rejection.code());
    }

    @Test
    void inactivityCountsFromTheTokensLastChangeWhenTheSessionWasNeverRefreshedAsInGoTrue() {
        SessionId id = newId();
        Instant created = ports.clock().peek();
        legacySession(id, created, "aaaabbbbeeee");
        // GoTrue wrote a later token without recording a refresh on the session
        ports.sessions().insertLegacyToken("aaaabbbbffff", alice.id(), false, created.plus(Duration.ofMinutes(50)),
                null, id);
        SessionPolicy inactivity = new SessionPolicy(Optional.empty(), Optional.of(Duration.ofHours(1)), Optional.empty());
        ports.clock().setInstant(created.plus(Duration.ofMinutes(70)));

        Rejection old = assertThrows(Rejection.class, () -> service(ports.sessions(), inactivity, false,
                RefreshTokenUpgrade.NONE).refresh(command("aaaabbbbeeee")));
        assertEquals(ErrorCode.SESSION_EXPIRED, old.code());
        assertEquals("Invalid Refresh Token: Session Expired (Inactivity)", old.getMessage());
        TokenGrant fresh = service(ports.sessions(), inactivity, false, RefreshTokenUpgrade.NONE)
                .refresh(command("aaaabbbbffff"));
        assertTrue(fresh.legacy());
    }

    @Test
    void aNewerV2SessionOfTheUserRevokesALegacyOneWithSinglePerUser() {
        SessionId id = newId();
        legacySession(id, ports.clock().peek(), "aaaabbbbgggg");
        ports.clock().advance(Duration.ofMinutes(1));
        new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(), ports.random(),
                ports.clock(), SessionSettings.defaults()).start(new StartSessionUseCase.Command(alice.id(),
                AuthenticationMethod.PASSWORD, null, null, null, "ua", "192.0.2.1", null, null, null));
        ports.clock().advance(Duration.ofMinutes(1));

        Rejection rejection = assertThrows(Rejection.class, () -> service(ports.sessions(), SessionPolicy.NONE, true,
                RefreshTokenUpgrade.NONE).refresh(command("aaaabbbbgggg")));
        assertEquals("Invalid Refresh Token: Session Expired (Revoked by Newer Login)", rejection.getMessage());
    }

    @Test
    void theUpgradeSettingDecidesWhetherTheAnswerIsAV2Token() {
        SessionId stays = newId();
        legacySession(stays, ports.clock().peek(), "aaaabbbbhhhh");
        SessionId moves = newId();
        legacySession(moves, ports.clock().peek(), "aaaabbbbiiii");
        ports.clock().advance(Duration.ofMinutes(1));

        TokenGrant v1 = service(ports.sessions(), SessionPolicy.NONE, false, new RefreshTokenUpgrade(2, 0))
                .refresh(command("aaaabbbbhhhh"));
        TokenGrant v2 = service(ports.sessions(), SessionPolicy.NONE, false, RefreshTokenUpgrade.ALL_TO_V2)
                .refresh(command("aaaabbbbiiii"));

        assertTrue(v1.legacy());
        assertTrue(ports.sessions().findById(stays).orElseThrow().isLegacy());
        assertFalse(v2.legacy());
        Session upgraded = ports.sessions().findById(moves).orElseThrow();
        assertEquals(upgraded.currentRefreshToken(), v2.refreshToken());
        assertEquals(0, upgraded.refreshTokenCounter());
        ports.clock().advance(Duration.ofMinutes(1));
        assertEquals(1, service().refresh(command(v2.refreshToken())).session().refreshTokenCounter());
    }
}
