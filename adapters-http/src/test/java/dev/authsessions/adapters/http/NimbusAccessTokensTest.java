package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.AccessTokenVerifier;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NimbusAccessTokensTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISSUER = "http://localhost:9999";
    private static final Instant IAT = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant EXP = IAT.plusSeconds(3600);
    private static final String HMAC_SECRET = "0123456789abcdef0123456789abcdef-secret";

    private static AccessTokenSigner.Claims claims() {
        return new AccessTokenSigner.Claims(Fixtures.user(), Fixtures.SESSION_ID, Aal.AAL2,
                List.of(new AmrClaim(AuthenticationMethod.TOTP, Instant.parse("2030-01-01T00:00:05Z")),
                        new AmrClaim(AuthenticationMethod.PASSWORD, Instant.parse("2029-12-31T23:00:00Z"))),
                IAT, EXP, null, null);
    }

    private static NimbusAccessTokens generated() {
        return new NimbusAccessTokens(new JwtSettings(Optional.empty(), Optional.empty(), ISSUER));
    }

    private static NimbusAccessTokens withKeys(JWK... keys) {
        return new NimbusAccessTokens(new JwtSettings(Optional.of(new JWKSet(List.of(keys)).toString(false)), Optional.empty(), ISSUER));
    }

    private static NimbusAccessTokens withSecret(String secret) {
        return new NimbusAccessTokens(new JwtSettings(Optional.empty(), Optional.of(secret), ISSUER));
    }

    private static ECKey ecKey(String kid, boolean signs) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid)
                .keyOperations(signs ? Set.of(KeyOperation.SIGN, KeyOperation.VERIFY) : Set.of(KeyOperation.VERIFY))
                .generate();
    }

    private static RSAKey rsaKey(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).keyOperations(Set.of(KeyOperation.SIGN)).generate();
    }

    private static JsonNode part(String token, int index) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String signRaw(JWSAlgorithm alg, JWSSigner signer, String kid, String payload) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), new Payload(payload));
        jws.sign(signer);
        return jws.serialize();
    }

    private static String validPayload() {
        return "{\"sub\":\"" + Fixtures.USER_ID + "\",\"session_id\":\"" + Fixtures.SESSION_ID + "\",\"exp\":"
                + EXP.getEpochSecond() + "}";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jwks(NimbusAccessTokens tokens) {
        return (List<Map<String, Object>>) tokens.publicJwks().get("keys");
    }

    @Test
    void generatedEs256KeySignsTokensItVerifies() throws Exception {
        NimbusAccessTokens tokens = generated();
        String token = tokens.sign(claims());

        JsonNode header = part(token, 0);
        assertEquals("ES256", header.get("alg").asText());
        assertEquals(tokens.signingKeyId(), header.get("kid").asText());
        assertEquals("JWT", header.get("typ").asText());

        AccessTokenVerifier.Verified verified = tokens.verify(token, IAT).orElseThrow();
        assertEquals(Fixtures.USER_ID, verified.userId());
        assertEquals(Fixtures.SESSION_ID, verified.sessionId());
        assertEquals(EXP, verified.expiresAt());

        List<Map<String, Object>> keys = jwks(tokens);
        assertEquals(1, keys.size());
        Map<String, Object> jwk = keys.get(0);
        assertEquals("EC", jwk.get("kty"));
        assertEquals("P-256", jwk.get("crv"));
        assertEquals("sig", jwk.get("use"));
        assertEquals("ES256", jwk.get("alg"));
        assertEquals(tokens.signingKeyId(), jwk.get("kid"));
        assertFalse(jwk.containsKey("d"), "no private part in the JWKS");
        // The published key really verifies the token.
        assertTrue(JWSObject.parse(token).verify(new com.nimbusds.jose.crypto.ECDSAVerifier(ECKey.parse(JSON.writeValueAsString(jwk)))));
    }

    @Test
    void twoGeneratedKeysDiffer() {
        assertNotEquals(generated().signingKeyId(), generated().signingKeyId());
    }

    @Test
    void rsaKeyFromSetSignsRs256() throws Exception {
        RSAKey rsa = rsaKey("rsa-1");
        NimbusAccessTokens tokens = withKeys(rsa);
        String token = tokens.sign(claims());

        assertEquals("RS256", part(token, 0).get("alg").asText());
        assertEquals("rsa-1", part(token, 0).get("kid").asText());
        assertTrue(tokens.verify(token, IAT).isPresent());
        Map<String, Object> jwk = jwks(tokens).get(0);
        assertEquals("RSA", jwk.get("kty"));
        assertEquals("RS256", jwk.get("alg"));
        assertEquals("sig", jwk.get("use"));
        for (String privatePart : List.of("d", "p", "q", "dp", "dq", "qi")) {
            assertFalse(jwk.containsKey(privatePart), privatePart + " must not be published");
        }
    }

    @Test
    void ecKeyFromSetSignsEs256WithItsKid() throws Exception {
        NimbusAccessTokens tokens = withKeys(ecKey("ec-1", true));
        String token = tokens.sign(claims());
        assertEquals("ES256", part(token, 0).get("alg").asText());
        assertEquals("ec-1", part(token, 0).get("kid").asText());
        assertTrue(tokens.verify(token, IAT).isPresent());
    }

    @Test
    void hmacSecretSignsHs256AndIsNeverPublished() throws Exception {
        NimbusAccessTokens tokens = withSecret(HMAC_SECRET);
        String token = tokens.sign(claims());

        assertEquals("HS256", part(token, 0).get("alg").asText());
        assertTrue(part(token, 0).hasNonNull("kid"));
        assertTrue(tokens.verify(token, IAT).isPresent());
        assertEquals(List.of(), jwks(tokens));
        assertFalse(JSON.writeValueAsString(tokens.publicJwks()).contains(HMAC_SECRET));
        assertFalse(withSecret(HMAC_SECRET + "-other").verify(token, IAT).isPresent(), "another secret does not verify");
    }

    @Test
    void claimsHaveGoTruesShape() throws Exception {
        JsonNode payload = part(generated().sign(claims()), 1);

        List<String> names = new ArrayList<>();
        payload.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("iss", "sub", "aud", "exp", "iat", "email", "phone", "app_metadata", "user_metadata", "role", "aal", "amr",
                "session_id", "is_anonymous"), names);
        assertEquals(ISSUER, payload.get("iss").asText());
        assertEquals(Fixtures.USER_ID.toString(), payload.get("sub").asText());
        assertTrue(payload.get("aud").isTextual(), "aud is a single string");
        assertEquals("authenticated", payload.get("aud").asText());
        assertEquals(EXP.getEpochSecond(), payload.get("exp").asLong());
        assertTrue(payload.get("exp").isIntegralNumber());
        assertEquals(IAT.getEpochSecond(), payload.get("iat").asLong());
        assertEquals("ada@example.com", payload.get("email").asText());
        assertTrue(payload.get("phone").isTextual());
        assertEquals("", payload.get("phone").asText(), "a missing phone is an empty string");
        assertEquals("email", payload.get("app_metadata").get("provider").asText());
        assertEquals("Ada", payload.get("user_metadata").get("name").asText());
        assertEquals("authenticated", payload.get("role").asText());
        assertEquals("aal2", payload.get("aal").asText());
        assertEquals(2, payload.get("amr").size());
        assertEquals("totp", payload.get("amr").get(0).get("method").asText());
        assertEquals(Instant.parse("2030-01-01T00:00:05Z").getEpochSecond(), payload.get("amr").get(0).get("timestamp").asLong());
        assertEquals("password", payload.get("amr").get(1).get("method").asText());
        assertEquals(Fixtures.SESSION_ID.toString(), payload.get("session_id").asText());
        assertFalse(payload.get("is_anonymous").asBoolean());
        assertTrue(payload.get("is_anonymous").isBoolean());
    }

    @Test
    void oauthSessionsCarryClientIdAndScope() throws Exception {
        OAuthClientId client = OAuthClientId.parse("99999999-8888-4777-8666-555555555555");
        AccessTokenSigner.Claims base = claims();
        AccessTokenSigner.Claims oauth = new AccessTokenSigner.Claims(base.user(), base.sessionId(), base.aal(), base.amr(),
                base.issuedAt(), base.expiresAt(), client, new Scopes("openid email"));

        JsonNode payload = part(generated().sign(oauth), 1);

        assertEquals(client.toString(), payload.get("client_id").asText());
        assertEquals("openid email", payload.get("scope").asText());
    }

    @Test
    void rotatedOutKeyStillVerifiesWhileListedAndIsPublished() throws Exception {
        ECKey old = ecKey("old", true);
        String oldToken = withKeys(old).sign(claims());

        ECKey retired = new ECKey.Builder(old).keyOperations(Set.of(KeyOperation.VERIFY)).build();
        NimbusAccessTokens rotated = withKeys(ecKey("new", true), retired);

        assertTrue(rotated.verify(oldToken, IAT).isPresent(), "the old key still verifies");
        assertEquals("new", part(rotated.sign(claims()), 0).get("kid").asText(), "the new key signs");
        assertEquals(List.of("new", "old"), jwks(rotated).stream().map(k -> (String) k.get("kid")).toList());
        assertFalse(withKeys(ecKey("new", true)).verify(oldToken, IAT).isPresent(), "once dropped, the old key no longer verifies");
    }

    @Test
    void algNoneIsRejected() throws Exception {
        NimbusAccessTokens tokens = generated();
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + tokens.signingKeyId() + "\"}") + "." + b64(validPayload()) + ".";
        assertTrue(tokens.verify(unsigned, IAT).isEmpty());
        String noKid = b64("{\"alg\":\"none\"}") + "." + b64(validPayload()) + ".";
        assertTrue(tokens.verify(noKid, IAT).isEmpty());
    }

    @Test
    void tokenOfAnotherKeyIsRejectedEvenUnderOurKid() throws Exception {
        NimbusAccessTokens ours = generated();
        assertTrue(ours.verify(generated().sign(claims()), IAT).isEmpty(), "unknown kid");

        ECKey stranger = ecKey("x", true);
        String forged = signRaw(JWSAlgorithm.ES256, new ECDSASigner(stranger), ours.signingKeyId(), validPayload());
        assertTrue(ours.verify(forged, IAT).isEmpty(), "our kid, someone else's signature");
    }

    @Test
    void expiryIsCheckedAgainstTheGivenNow() {
        NimbusAccessTokens tokens = generated();
        String token = tokens.sign(claims());
        assertTrue(tokens.verify(token, EXP.minusSeconds(1)).isPresent());
        assertTrue(tokens.verify(token, EXP).isEmpty(), "exp must be after now");
        assertTrue(tokens.verify(token, EXP.plusSeconds(60)).isEmpty());
    }

    /** golang-jwt v5 as GoTrue uses it: valid from nbf on, no leeway, seconds truncated; iat is not compared. */
    @Test
    void aTokenIsNotValidBeforeItsNbf() throws Exception {
        ECKey key = ecKey("k1", true);
        NimbusAccessTokens tokens = withKeys(key);
        ECDSASigner signer = new ECDSASigner(key);
        String base = validPayload().substring(0, validPayload().length() - 1);
        long nbf = IAT.getEpochSecond() + 10;
        String notYet = signRaw(JWSAlgorithm.ES256, signer, "k1", base + ",\"nbf\":" + nbf + "}");
        assertTrue(tokens.verify(notYet, IAT).isEmpty(), "nbf in the future");
        assertTrue(tokens.verify(notYet, Instant.ofEpochSecond(nbf).minusNanos(1_000)).isEmpty(), "one microsecond before nbf");
        assertTrue(tokens.verify(notYet, Instant.ofEpochSecond(nbf)).isPresent(), "valid from nbf on");
        String fractional = signRaw(JWSAlgorithm.ES256, signer, "k1", base + ",\"nbf\":" + nbf + ".9}");
        assertTrue(tokens.verify(fractional, Instant.ofEpochSecond(nbf)).isPresent(), "fractions of a second are cut off");
        assertTrue(tokens.verify(fractional, Instant.ofEpochSecond(nbf).minusNanos(1_000)).isEmpty());
        assertTrue(tokens.verify(signRaw(JWSAlgorithm.ES256, signer, "k1", base + ",\"nbf\":null}"), IAT).isPresent(),
                "a null nbf is no nbf");
        for (String bad : List.of("\"" + IAT.getEpochSecond() + "\"", "true", "{}", "[]", "1e400", "9223372036854775808")) {
            assertTrue(tokens.verify(signRaw(JWSAlgorithm.ES256, signer, "k1", base + ",\"nbf\":" + bad + "}"), IAT).isEmpty(),
                    "nbf " + bad);
        }
    }

    @Test
    void iatIsReadForItsTypeButNotComparedWithTheClock() throws Exception {
        ECKey key = ecKey("k1", true);
        NimbusAccessTokens tokens = withKeys(key);
        ECDSASigner signer = new ECDSASigner(key);
        String base = validPayload().substring(0, validPayload().length() - 1);
        String issuedLater = signRaw(JWSAlgorithm.ES256, signer, "k1", base + ",\"iat\":" + (IAT.getEpochSecond() + 600) + "}");
        assertTrue(tokens.verify(issuedLater, IAT).isPresent(), "GoTrue does not ask golang-jwt to check iat");
        assertTrue(tokens.verify(signRaw(JWSAlgorithm.ES256, signer, "k1", base + ",\"iat\":\"yesterday\"}"), IAT).isEmpty());
    }

    @Test
    void expIsReadAsANumberOfSecondsWithoutLeeway() throws Exception {
        ECKey key = ecKey("k1", true);
        NimbusAccessTokens tokens = withKeys(key);
        ECDSASigner signer = new ECDSASigner(key);
        String head = "{\"sub\":\"" + Fixtures.USER_ID + "\",\"session_id\":\"" + Fixtures.SESSION_ID + "\",\"exp\":";
        String fractional = signRaw(JWSAlgorithm.ES256, signer, "k1", head + EXP.getEpochSecond() + ".5}");
        assertTrue(tokens.verify(fractional, EXP.minusNanos(1_000)).isPresent());
        assertTrue(tokens.verify(fractional, EXP).isEmpty(), "truncated to the second, as golang-jwt does");
        assertTrue(tokens.verify(signRaw(JWSAlgorithm.ES256, signer, "k1", head + "1e400}"), IAT).isEmpty());
        assertTrue(tokens.verify(signRaw(JWSAlgorithm.ES256, signer, "k1", head + "null}"), IAT).isEmpty(),
                "our tokens always carry exp; one without it never verifies");
    }

    @Test
    void tamperedPayloadIsRejected() throws Exception {
        NimbusAccessTokens tokens = generated();
        String token = tokens.sign(claims());
        String[] parts = token.split("\\.");
        ObjectNode payload = (ObjectNode) part(token, 1);
        payload.put("role", "service_role");
        String tampered = parts[0] + "." + b64(JSON.writeValueAsString(payload)) + "." + parts[2];
        assertTrue(tokens.verify(tampered, IAT).isEmpty());
    }

    @Test
    void hs256SignedWithOurPublicKeyIsRejected() throws Exception {
        RSAKey rsa = rsaKey("rsa-1");
        NimbusAccessTokens tokens = withKeys(rsa);
        byte[] publicDer = rsa.toPublicKey().getEncoded();
        byte[] publicJwks = JSON.writeValueAsBytes(tokens.publicJwks());
        for (byte[] secret : List.of(publicDer, publicJwks)) {
            MACSigner signer = new MACSigner(secret);
            assertTrue(tokens.verify(signRaw(JWSAlgorithm.HS256, signer, "rsa-1", validPayload()), IAT).isEmpty());
            assertTrue(tokens.verify(signRaw(JWSAlgorithm.HS256, signer, null, validPayload()), IAT).isEmpty());
        }
        assertTrue(tokens.verify(signRaw(JWSAlgorithm.RS256, new com.nimbusds.jose.crypto.RSASSASigner(rsa), "rsa-1", validPayload()), IAT)
                .isPresent(), "the same payload properly signed verifies");
    }

    @Test
    void hs256IsRejectedWhenNoSecretIsConfigured() throws Exception {
        NimbusAccessTokens asymmetric = generated();
        String hs = withSecret(HMAC_SECRET).sign(claims());
        assertTrue(asymmetric.verify(hs, IAT).isEmpty());
    }

    @Test
    void tokenWithoutKidIsTriedAgainstTheSigningKey() throws Exception {
        ECKey key = ecKey("k1", true);
        NimbusAccessTokens tokens = withKeys(key);
        assertTrue(tokens.verify(signRaw(JWSAlgorithm.ES256, new ECDSASigner(key), null, validPayload()), IAT).isPresent());
        assertTrue(tokens.verify(signRaw(JWSAlgorithm.ES256, new ECDSASigner(key), "k2", validPayload()), IAT).isEmpty(),
                "an unknown kid is not tried against other keys");
    }

    @Test
    void missingOrMalformedClaimsAreRejected() throws Exception {
        ECKey key = ecKey("k1", true);
        NimbusAccessTokens tokens = withKeys(key);
        ECDSASigner signer = new ECDSASigner(key);
        String sub = "\"sub\":\"" + Fixtures.USER_ID + "\"";
        String sid = "\"session_id\":\"" + Fixtures.SESSION_ID + "\"";
        String exp = "\"exp\":" + EXP.getEpochSecond();
        for (String payload : List.of(
                "{" + sid + "," + exp + "}",
                "{" + sub + "," + exp + "}",
                "{" + sub + "," + sid + "}",
                "{" + sub + "," + sid + ",\"exp\":\"" + EXP.getEpochSecond() + "\"}",
                "{\"sub\":\"not-a-uuid\"," + sid + "," + exp + "}",
                "{" + sub + ",\"session_id\":42," + exp + "}",
                "[1,2,3]",
                "not json")) {
            assertTrue(tokens.verify(signRaw(JWSAlgorithm.ES256, signer, "k1", payload), IAT).isEmpty(), payload);
        }
    }

    @Test
    void garbageIsRejected() {
        NimbusAccessTokens tokens = generated();
        for (String garbage : new String[] {null, "", "abc", "a.b.c", "....", "x".repeat(20_000)}) {
            assertTrue(tokens.verify(garbage, IAT).isEmpty());
        }
    }

    @Test
    void keySetsThatCannotWorkAreRefusedWithoutQuotingKeys() throws Exception {
        ECKey signer = ecKey("a", true);
        ECKey secondSigner = ecKey("b", true);
        ECKey verifyOnly = ecKey("c", false);
        ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").keyOperations(Set.of(KeyOperation.SIGN)).generate();
        String d = signer.getD().toString();
        Map<String, String> sets = new java.util.LinkedHashMap<>();
        sets.put("zero signing keys", new JWKSet(List.of(verifyOnly)).toString(false));
        sets.put("two signing keys", new JWKSet(List.of(signer, secondSigner)).toString(false));
        sets.put("public only", "{\"keys\":[" + signer.toPublicJWK().toJSONString().replace("}", ",\"key_ops\":[\"sign\"]}") + "]}");
        sets.put("P-384", new JWKSet(List.of(p384)).toString(false));
        sets.put("oct", "{\"keys\":[{\"kty\":\"oct\",\"k\":\"" + d + "\",\"key_ops\":[\"sign\"]}]}");
        sets.put("OKP", "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + d + "\",\"d\":\"" + d + "\",\"key_ops\":[\"sign\"]}]}");
        sets.put("malformed EC", "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"" + d + "\",\"key_ops\":[\"sign\"]}]}");
        sets.put("not json", "{\"keys\":[" + d);
        sets.put("no keys", "{\"keys\":[]}");
        sets.put("duplicate kid", new JWKSet(List.of(signer, new ECKey.Builder(verifyOnly).keyID("a").build())).toString(false));
        for (Map.Entry<String, String> set : sets.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new NimbusAccessTokens(new JwtSettings(Optional.of(set.getValue()), Optional.empty(), ISSUER)), set.getKey());
            assertFalse(e.getMessage().contains(d), set.getKey() + ": message quotes key material: " + e.getMessage());
            assertTrue(e.getCause() == null, set.getKey() + ": no cause that could carry key material");
        }
    }

    @Test
    void mismatchedPrivateAndPublicPartsAreRefused() throws Exception {
        ECKey a = ecKey("a", true);
        ECKey b = ecKey("b", true);
        ECKey mixed = new ECKey.Builder(a.getCurve(), a.getX(), a.getY()).d(b.getD()).keyID("a")
                .keyOperations(Set.of(KeyOperation.SIGN)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withKeys(mixed));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void shortHmacSecretIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withSecret("too-short-secret"));
        assertFalse(e.getMessage().contains("too-short-secret"));
    }

    @Test
    void keySetAndSecretTogetherAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new JwtSettings(Optional.of("{\"keys\":[]}"), Optional.of(HMAC_SECRET), ISSUER));
        assertTrue(new JwtSettings(Optional.empty(), Optional.empty(), ISSUER).generatesKey());
        assertFalse(new JwtSettings(Optional.empty(), Optional.of(HMAC_SECRET), ISSUER).toString().contains(HMAC_SECRET));
    }
}
