package dev.authsessions.bootstrap.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import dev.authsessions.bootstrap.reliability.RouteTable.Guard;
import dev.authsessions.bootstrap.reliability.RouteTable.Param;
import dev.authsessions.bootstrap.reliability.RouteTable.Ref;
import dev.authsessions.bootstrap.reliability.RouteTable.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who may do what, over every route of {@link RouteTable}: admin routes refuse anything but an admin
 * key; a user's token never reads or ends another user's sessions; forged, unsigned, re-signed,
 * expired and tampered access tokens are refused as {@code bad_jwt}; no answer ever carries a refresh
 * token. Two instances share one database: one signs HS256 with a configured secret, the other ES256
 * with the key it generated at start (the configuration the HS256-with-the-public-key attack targets).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SecurityTest {
    private static final long SEED = Long.getLong("reliability.seed", 20_260_307L);

    private static TestDatabase database;
    private static MutableClock hsClock;
    private static MutableClock esClock;
    private static InProcessService hs;
    private static InProcessService es;
    private static AuthTables tables;
    /** Every refresh token any test here has seen; none may appear in any answer. */
    private static final Set<String> REFRESH_TOKENS = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh();
        hsClock = new MutableClock();
        esClock = new MutableClock();
        hs = InProcessService.start(database, hsClock);
        es = InProcessService.start(database, esClock, Map.of("AUTH_SESSIONS_JWT_SECRET", ""));
        tables = new AuthTables(database);
    }

    @AfterAll
    static void stop() {
        if (hs != null) {
            hs.close();
        }
        if (es != null) {
            es.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** Alice and Bob, each with a session (Bob with two, and a factor), started on {@code on}. */
    private record People(UUID alice, Client.Grant aliceSession, UUID bob, Client.Grant bobSession, Client.Grant bobOther, UUID bobFactor) {
    }

    private static People people(Client on) {
        UUID alice = on.createUser();
        UUID bob = on.createUser();
        UUID bobFactor = UUID.randomUUID();
        on.registerFactor(bob, bobFactor, "totp");
        People people = new People(alice, on.startSession(alice), bob, on.startSession(bob), on.startSession(bob), bobFactor);
        for (Client.Grant grant : List.of(people.aliceSession(), people.bobSession(), people.bobOther())) {
            REFRESH_TOKENS.add(grant.refreshToken());
        }
        return people;
    }

    private static Client.Reply send(Client on, String method, String path, String body, Map<String, String> headers) {
        Client.Reply reply = on.send(method, path, body == null ? null : "application/json", body, headers);
        for (String token : REFRESH_TOKENS) {
            assertFalse(reply.raw().contains(token), () -> method + " " + path + ": an answer carries a refresh token: " + reply);
        }
        return reply;
    }

    private static String validBody(Route route, Hostile hostile) {
        if (route.body() == RouteTable.BodyKind.NONE) {
            return null;
        }
        ObjectNode body = Client.JSON.createObjectNode();
        for (Param field : route.fields()) {
            body.set(field.name(), hostile.validValue(field));
        }
        return body.toString();
    }

    private static String queryOf(Route route, Hostile hostile) {
        if (route.query().isEmpty()) {
            return "";
        }
        return route.query().stream().map(p -> p.name() + "=" + hostile.queryValue(p, false)).collect(Collectors.joining("&", "?", ""));
    }

    private static Hostile hostileFor(People people, Random random) {
        Map<Ref, List<UUID>> ids = new EnumMap<>(Ref.class);
        ids.put(Ref.USER, List.of(people.alice(), people.bob()));
        ids.put(Ref.SESSION, List.of(people.aliceSession().sessionId(), people.bobSession().sessionId()));
        ids.put(Ref.FACTOR, List.of(people.bobFactor()));
        ids.put(Ref.CLIENT, List.of());
        List<Hostile.LiveSession> live = List.of(new Hostile.LiveSession(people.aliceSession().sessionId(),
                people.aliceSession().refreshToken(), people.aliceSession().accessToken(), 0, tables.keyOf(people.aliceSession().sessionId())));
        return new Hostile(random, new Hostile.Fixture(InProcessService.ADMIN_KEY, ids, live, "", "", ""));
    }

    private static void assertError(Client.Reply reply, int status, String code, String what) {
        assertEquals(status, reply.status(), () -> what + ": " + reply);
        assertEquals(code, reply.errorCode(), () -> what + ": " + reply);
        assertEquals(code, reply.header("x-sb-error-code"), what);
    }

    // ---- admin routes

    @Test
    void everyAdminRouteRefusesNoKeyAWrongKeyAndAUsersTokenWith401AndChangesNothing() {
        Client api = hs.client();
        People people = people(api);
        Hostile hostile = hostileFor(people, new Random(SEED));
        Map<String, Map<String, String>> credentials = new LinkedHashMap<>();
        credentials.put("no key", Map.of());
        credentials.put("a wrong key", Client.bearer("wrong-admin-key-0123456789"));
        credentials.put("the key with one character more", Client.bearer(InProcessService.ADMIN_KEY + "0"));
        credentials.put("the key in another scheme", Map.of("Authorization", "Basic " + InProcessService.ADMIN_KEY));
        credentials.put("the key without a scheme", Map.of("Authorization", InProcessService.ADMIN_KEY));
        credentials.put("a user's access token", Client.bearer(people.aliceSession().accessToken()));
        String before = tables.snapshot();
        int checked = 0;
        for (Route route : RouteTable.ALL) {
            if (route.guard() != Guard.ADMIN) {
                continue;
            }
            // A request that would succeed with the key: existing ids, a well-formed body.
            List<String> ids = route.pathRefs().stream().map(ref -> switch (ref) {
                case USER -> people.alice().toString();
                case SESSION -> people.aliceSession().sessionId().toString();
                case FACTOR -> people.bobFactor().toString();
                case CLIENT -> UUID.randomUUID().toString();
            }).toList();
            String path = route.path(ids) + queryOf(route, hostile);
            String body = validBody(route, hostile);
            for (Map.Entry<String, Map<String, String>> credential : credentials.entrySet()) {
                Client.Reply reply = send(api, route.method(), path, body, credential.getValue());
                assertError(reply, 401, "no_authorization", route + " with " + credential.getKey());
                checked++;
            }
        }
        assertTrue(checked >= 6 * 8, "every admin route was tried");
        assertEquals(before, tables.snapshot(), "refused admin requests change nothing");
    }

    // ---- one user against another

    @Test
    void aUsersAccessTokenNeverReadsNorEndsAnotherUsersSessionsOnAnyBearerRoute() {
        Client api = hs.client();
        Random random = new Random(SEED);
        int checked = 0;
        for (Route route : RouteTable.ALL) {
            if (route.guard() != Guard.BEARER) {
                continue;
            }
            for (Map<String, String> query : everyQuery(route)) {
                People people = people(api);
                Client.Grant aliceOther = api.startSession(people.alice());
                REFRESH_TOKENS.add(aliceOther.refreshToken());
                String bobRowsBefore = rowsOf(people.bob());
                // Bob's ids wherever the route takes one: Alice asks about, or to end, Bob's things.
                List<String> ids = route.pathRefs().stream().map(ref -> switch (ref) {
                    case USER -> people.bob().toString();
                    case SESSION -> people.bobSession().sessionId().toString();
                    case FACTOR -> people.bobFactor().toString();
                    case CLIENT -> UUID.randomUUID().toString();
                }).toList();
                String path = route.path(ids) + (query.isEmpty() ? "" : query.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&", "?", "")));
                String body = validBody(route, hostileFor(people, random));
                Client.Reply reply = send(api, route.method(), path, body, Client.bearer(people.aliceSession().accessToken()));

                String what = route + " " + query;
                assertTrue(reply.status() < 500, () -> what + ": " + reply);
                for (Object bobs : List.of(people.bob(), people.bobSession().sessionId(), people.bobOther().sessionId(), people.bobFactor(),
                        people.bob() + "@example.com")) {
                    assertFalse(reply.raw().contains(bobs.toString()), () -> what + " with Alice's token shows Bob's " + bobs + ": " + reply);
                }
                assertEquals(bobRowsBefore, rowsOf(people.bob()), () -> what + " with Alice's token changed Bob's sessions: " + reply);
                Client.Reply bobStillIn = api.refresh(people.bobSession().refreshToken());
                assertEquals(200, bobStillIn.status(), () -> what + ": Bob's session still refreshes: " + bobStillIn);
                REFRESH_TOKENS.add(bobStillIn.refreshToken());
                checked++;
            }
        }
        assertTrue(checked >= 5, "the Bearer routes were tried (GET /user, POST /logout with each scope)");

        // The positive control: Alice's token is Alice's.
        People people = people(api);
        Client.Reply me = api.user(people.aliceSession().accessToken());
        assertEquals(200, me.status(), me::toString);
        assertEquals(people.alice().toString(), me.json().path("id").asText());
    }

    /** Every combination of the route's enumerated query values (and the query left out), other parameters well-formed. */
    private static List<Map<String, String>> everyQuery(Route route) {
        List<Map<String, String>> all = new ArrayList<>();
        all.add(Map.of());
        for (Param param : route.query()) {
            List<Map<String, String>> extended = new ArrayList<>();
            List<String> values = param.kind() == RouteTable.Kind.ONE_OF ? param.values() : List.of("1");
            for (Map<String, String> partial : all) {
                for (String value : values) {
                    Map<String, String> next = new LinkedHashMap<>(partial);
                    next.put(param.name(), value);
                    extended.add(next);
                }
            }
            all.addAll(extended);
        }
        return all;
    }

    private static String rowsOf(UUID user) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT s::text FROM auth.sessions s WHERE s.user_id = :u
                        UNION ALL SELECT c::text FROM auth.mfa_amr_claims c JOIN auth.sessions s ON s.id = c.session_id WHERE s.user_id = :u
                        UNION ALL SELECT u::text FROM auth.users u WHERE u.id = :u
                        ORDER BY 1""")
                .bind("u", user).mapTo(String.class).list()).toString();
    }

    // ---- forged access tokens

    @Test
    void forgedUnsignedResignedExpiredAndTamperedAccessTokensAreRefusedAsBadJwtOnEveryBearerRoute() throws Exception {
        Client hsApi = hs.client();
        Client esApi = es.client();
        People onHs = people(hsApi);
        People onEs = people(esApi);
        String hsToken = onHs.bobSession().accessToken();
        String esToken = onEs.bobSession().accessToken();
        String hsKid = Jwts.headerOf(hsToken).path("kid").asText();
        String esKid = Jwts.headerOf(esToken).path("kid").asText();
        assertEquals("HS256", Jwts.headerOf(hsToken).path("alg").asText());
        assertEquals("ES256", Jwts.headerOf(esToken).path("alg").asText());

        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(esKid).generate();
        byte[] otherSecret = "another-deployments-hs256-secret-0123456789".getBytes(StandardCharsets.UTF_8);
        Map<String, String> forgedForHs = new LinkedHashMap<>();
        ObjectNode hsClaims = Jwts.payloadOf(hsToken);
        forgedForHs.put("ES256 with an unknown key and our kid", Jwts.es256(stranger, hsKid, hsClaims));
        forgedForHs.put("ES256 with an unknown key and no kid", Jwts.es256(stranger, null, hsClaims));
        forgedForHs.put("alg none with our kid", Jwts.unsigned(hsKid, hsClaims));
        forgedForHs.put("alg none without kid", Jwts.unsigned(null, hsClaims));
        forgedForHs.put("HS256 with another secret", Jwts.hs256(otherSecret, hsKid, hsClaims));
        forgedForHs.put("expired, correctly signed", Jwts.hs256(secret(), hsKid, withExp(hsClaims, hsClock.peek().getEpochSecond() - 1)));
        forgedForHs.put("expiring right now", Jwts.hs256(secret(), hsKid, withExp(hsClaims, hsClock.peek().getEpochSecond())));
        forgedForHs.put("without exp", Jwts.hs256(secret(), hsKid, without(hsClaims, "exp")));
        long now = hsClock.peek().getEpochSecond();
        forgedForHs.put("not valid yet (nbf a second ahead), correctly signed",
                Jwts.hs256(secret(), hsKid, hsClaims.deepCopy().put("nbf", now + 1)));
        forgedForHs.put("nbf as text, correctly signed", Jwts.hs256(secret(), hsKid, hsClaims.deepCopy().put("nbf", Long.toString(now))));
        forgedForHs.put("iat as text, correctly signed", Jwts.hs256(secret(), hsKid, hsClaims.deepCopy().put("iat", "now")));
        forgedForHs.put("tampered payload: another user's session", Jwts.withPayload(onHs.aliceSession().accessToken(), hsClaims));
        forgedForHs.put("tampered payload: exp pushed back", Jwts.withPayload(hsToken,
                withExp(hsClaims, hsClock.peek().getEpochSecond() + 86_400 * 365)));
        forgedForHs.put("tampered header: alg none, signature kept", Jwts.encode(Jwts.headerOf(hsToken).put("alg", "none"))
                + hsToken.substring(hsToken.indexOf('.')));
        forgedForHs.put("tampered header: HS512, signature kept", Jwts.encode(Jwts.headerOf(hsToken).put("alg", "HS512"))
                + hsToken.substring(hsToken.indexOf('.')));
        forgedForHs.put("the ES256 instance's token", esToken);

        // Control: the same minting with a future exp is accepted, so the refusals above are about what was forged.
        String minted = Jwts.hs256(secret(), hsKid, withExp(hsClaims, hsClock.peek().getEpochSecond() + 600));
        Client.Reply control = hsApi.user(minted);
        assertEquals(200, control.status(), () -> "a correctly minted token is accepted: " + control);
        assertEquals(onHs.bob().toString(), control.json().path("id").asText());
        // nbf is honoured from its second on, as golang-jwt does in GoTrue; iat is not compared with the clock.
        String validFromNow = Jwts.hs256(secret(), hsKid, withExp(hsClaims, now + 600).put("nbf", now).put("iat", now + 60));
        Client.Reply fromNow = hsApi.user(validFromNow);
        assertEquals(200, fromNow.status(), () -> "a token valid from this second on is accepted: " + fromNow);

        JsonNode jwks = esApi.send("GET", "/.well-known/jwks.json", null, null, Map.of()).json();
        assertEquals(1, jwks.path("keys").size(), jwks::toString);
        JsonNode publicJwk = jwks.path("keys").get(0);
        assertEquals(esKid, publicJwk.path("kid").asText());
        for (String privatePart : List.of("d", "k", "p", "q")) {
            assertFalse(publicJwk.has(privatePart), () -> "the JWKS publishes a private or symmetric part: " + publicJwk);
        }
        ECKey esPublic = (ECKey) JWK.parse(publicJwk.toString());
        String der = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(esPublic.toECPublicKey().getEncoded());
        Map<String, byte[]> publicKeyAsSecret = new LinkedHashMap<>();
        publicKeyAsSecret.put("the JWK as published", publicJwk.toString().getBytes(StandardCharsets.UTF_8));
        publicKeyAsSecret.put("the JWK set as published", jwks.toString().getBytes(StandardCharsets.UTF_8));
        publicKeyAsSecret.put("the public JWK's canonical JSON", esPublic.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8));
        publicKeyAsSecret.put("the X.509 DER bytes", padded(esPublic.toECPublicKey().getEncoded()));
        publicKeyAsSecret.put("the PEM text", ("-----BEGIN PUBLIC KEY-----\n" + der + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII));
        ObjectNode esClaims = Jwts.payloadOf(esToken);
        Map<String, String> forgedForEs = new LinkedHashMap<>();
        publicKeyAsSecret.forEach((what, secret) -> forgedForEs.put("HS256 keyed with " + what, Jwts.hs256(secret, esKid, esClaims)));
        forgedForEs.put("HS256 keyed with the public key, no kid", Jwts.hs256(publicKeyAsSecret.get("the JWK as published"), null, esClaims));
        forgedForEs.put("ES256 with an unknown key and the instance's kid", Jwts.es256(stranger, esKid, esClaims));
        forgedForEs.put("alg none with the instance's kid", Jwts.unsigned(esKid, esClaims));
        forgedForEs.put("tampered payload: another user's session", Jwts.withPayload(onEs.aliceSession().accessToken(), esClaims));
        forgedForEs.put("the HS256 instance's token", hsToken);
        forgedForEs.put("the HS256 instance's correctly minted token", minted);

        String before = tables.snapshot();
        int refused = refuseEverywhere(hsApi, forgedForHs) + refuseEverywhere(esApi, forgedForEs);
        assertEquals(before, tables.snapshot(), "forged tokens change nothing");
        assertTrue(refused >= (forgedForHs.size() + forgedForEs.size()) * 2);

        // The ES256 instance's own expiry: its real token, once its clock has passed exp.
        Client.Reply fresh = esApi.user(esToken);
        assertEquals(200, fresh.status(), fresh::toString);
        esClock.advance(Duration.ofHours(2));
        try {
            assertError(esApi.user(esToken), 403, "bad_jwt", "an expired ES256 token");
            assertError(esApi.logout(esToken, "global"), 403, "bad_jwt", "an expired ES256 token on logout");
        } finally {
            esClock.advance(Duration.ofHours(-2));
        }
        assertTrue(tables.sessionExists(onEs.bobSession().sessionId()));
    }

    /** Presents each forgery on every Bearer route (logout with each scope); all must be 403 bad_jwt. */
    private static int refuseEverywhere(Client api, Map<String, String> forged) {
        int refused = 0;
        for (Route route : RouteTable.ALL) {
            if (route.guard() != Guard.BEARER) {
                continue;
            }
            for (Map<String, String> query : everyQuery(route)) {
                String path = route.path(route.pathRefs().stream().map(r -> UUID.randomUUID().toString()).toList())
                        + (query.isEmpty() ? "" : query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining("&", "?", "")));
                for (Map.Entry<String, String> forgery : forged.entrySet()) {
                    Client.Reply reply = send(api, route.method(), path, null, Client.bearer(forgery.getValue()));
                    assertError(reply, 403, "bad_jwt", route + " " + query + " with " + forgery.getKey());
                    refused++;
                }
            }
        }
        return refused;
    }

    private static byte[] secret() {
        return InProcessService.JWT_SECRET.getBytes(StandardCharsets.UTF_8);
    }

    /** MACSigner needs 256 bits; a DER P-256 key is 91 bytes, so this only guards against a future shorter encoding. */
    private static byte[] padded(byte[] bytes) {
        return bytes.length >= 32 ? bytes : java.util.Arrays.copyOf(bytes, 32);
    }

    private static ObjectNode withExp(ObjectNode claims, long exp) {
        ObjectNode copy = claims.deepCopy();
        copy.put("exp", exp);
        return copy;
    }

    private static ObjectNode without(ObjectNode claims, String name) {
        ObjectNode copy = claims.deepCopy();
        copy.remove(name);
        return copy;
    }

    // ---- refresh tokens in answers

    @Test
    void noErrorAnswerEverCarriesTheRefreshTokenItWasAbout() {
        Client api = hs.client();
        People people = people(api);
        UUID clientId = api.createOAuthClient("confidential", "the-client-secret-0123456789");
        Client.Grant oauth = api.startSession(people.alice(), Map.of("oauth_client_id", clientId.toString()));
        REFRESH_TOKENS.add(oauth.refreshToken());
        String token = people.aliceSession().refreshToken();
        Map<String, Client.Reply> replies = new HashMap<>();
        replies.put("a client id on a plain session", api.refreshAsClient(token, clientId, "the-client-secret-0123456789"));
        replies.put("a wrong client secret", api.refreshAsClient(oauth.refreshToken(), clientId, "wrong"));
        replies.put("no client credentials on a client's session", api.refresh(oauth.refreshToken()));
        replies.put("a token with a character more", api.refresh(token + "A"));
        replies.put("a token in a form with a stray field", api.send("POST", "/token?grant_type=refresh_token",
                "application/x-www-form-urlencoded", "refresh_token=" + token + "&refresh_token=" + token, Map.of()));
        replies.put("a token in a form labelled text/plain", api.send("POST", "/token?grant_type=refresh_token", "text/plain",
                "refresh_token=" + token, Map.of()));
        replies.put("a token with a bad grant type", api.json("POST", "/token?grant_type=password", Map.of("refresh_token", token), Map.of()));
        replies.put("a token as a Bearer credential", api.user(token));
        replies.put("a token as an admin key", api.send("DELETE", "/admin/users/" + people.bob(), null, null, Client.bearer(token)));

        // A rotated-away token, long after: reuse is detected and the session ends; the answer does not quote it.
        Client.Reply first = api.refresh(people.bobSession().refreshToken());
        REFRESH_TOKENS.add(first.refreshToken());
        Client.Reply second = api.refresh(first.refreshToken());
        REFRESH_TOKENS.add(second.refreshToken());
        hsClock.advance(Duration.ofMinutes(10));
        replies.put("a reused token", api.refresh(people.bobSession().refreshToken()));

        for (Map.Entry<String, Client.Reply> entry : replies.entrySet()) {
            Client.Reply reply = entry.getValue();
            assertTrue(reply.status() >= 400 && reply.status() < 500, () -> entry.getKey() + ": " + reply);
            for (String known : REFRESH_TOKENS) {
                assertFalse(reply.raw().contains(known), () -> entry.getKey() + ": the answer carries a refresh token: " + reply);
            }
        }
        assertEquals("refresh_token_already_used", replies.get("a reused token").errorCode());
        assertEquals("invalid_client", replies.get("a wrong client secret").json().path("error").asText());
    }
}
