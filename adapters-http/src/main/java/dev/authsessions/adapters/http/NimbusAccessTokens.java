package dev.authsessions.adapters.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.AccessTokenVerifier;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies access tokens with nimbus-jose-jwt. The payload is written with Jackson so the
 * claims have exactly GoTrue's shape (a single-string {@code aud}, {@code amr} objects in order).
 * Verification only trusts a token whose {@code alg} is the algorithm of one of our own keys, found
 * by {@code kid}; so {@code none}, and HS256 "signed" with a public key, never verify.
 *
 * <p>ES256 signatures are computed with BouncyCastle's provider and a BouncyCastle key object: on
 * JDK 17 the JDK's own P-256 arithmetic takes about six times as long, and signing was most of the
 * CPU time of a refresh (BENCHMARKS.md). Verification, RS256 and HS256 stay on the JDK's providers.
 */
public final class NimbusAccessTokens implements AccessTokenSigner, AccessTokenVerifier {
    static final int MIN_HMAC_SECRET_BYTES = 32;
    private static final int MIN_RSA_BITS = 2048;

    /**
     * A payload is read only once its signature verified, so it is one of ours; the metadata numbers it
     * carries are as long as the database keeps them (see UserRow), bounded by the token's own length.
     */
    private final ObjectMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(AccessTokenLimits.MAX_TOKEN_CHARS).build())
                    .build())
            .build();
    private final String issuer;
    private final OwnKey signingKey;
    private final Map<String, OwnKey> keysById;
    private final Map<String, Object> publicJwks;

    /** One of our keys: its id, algorithm, and what it can do. {@code signer} is null for verify-only keys. */
    private record OwnKey(String kid, JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier, Map<String, Object> publicJwk) {
    }

    /** @throws IllegalArgumentException when the configured keys are unusable; the message never contains key material */
    public NimbusAccessTokens(JwtSettings settings) {
        this.issuer = settings.issuer();
        List<OwnKey> keys;
        if (settings.hmacSecret().isPresent()) {
            keys = List.of(hmacKey(settings.hmacSecret().get()));
        } else if (settings.jwkSetJson().isPresent()) {
            keys = keySet(settings.jwkSetJson().get(), mapper);
        } else {
            keys = List.of(generatedKey());
        }
        Map<String, OwnKey> byId = new LinkedHashMap<>();
        List<Map<String, Object>> published = new ArrayList<>();
        OwnKey signing = null;
        for (OwnKey key : keys) {
            byId.put(key.kid(), key);
            if (key.signer() != null) {
                signing = key;
            }
            if (key.publicJwk() != null) {
                published.add(key.publicJwk());
            }
        }
        this.signingKey = signing;
        this.keysById = Map.copyOf(byId);
        this.publicJwks = Map.of("keys", List.copyOf(published));
    }

    /** The key id new tokens carry in their header. */
    public String signingKeyId() {
        return signingKey.kid();
    }

    @Override
    public String sign(Claims claims) {
        JWSHeader header = new JWSHeader.Builder(signingKey.algorithm())
                .keyID(signingKey.kid())
                .type(JOSEObjectType.JWT)
                .build();
        try {
            // Written as text: Jackson's byte writer would escape a character outside the BMP in 12 bytes, past AccessTokenLimits.
            JWSObject jws = new JWSObject(header, new Payload(mapper.writeValueAsString(payloadOf(claims))));
            jws.sign(signingKey.signer());
            return jws.serialize();
        } catch (JOSEException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not sign an access token", e);
        }
    }

    private Map<String, Object> payloadOf(Claims claims) {
        User user = claims.user();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", issuer);
        payload.put("sub", user.id().toString());
        payload.put("aud", user.aud());
        payload.put("exp", claims.expiresAt().getEpochSecond());
        payload.put("iat", claims.issuedAt().getEpochSecond());
        payload.put("email", user.email() == null ? "" : user.email());
        payload.put("phone", user.phone() == null ? "" : user.phone());
        payload.put("app_metadata", user.appMetadata());
        payload.put("user_metadata", user.userMetadata());
        payload.put("role", user.role());
        payload.put("aal", claims.aal().value());
        List<Map<String, Object>> amr = new ArrayList<>();
        for (AmrClaim claim : claims.amr()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("method", claim.method().value());
            entry.put("timestamp", claim.timestamp().getEpochSecond());
            amr.add(entry);
        }
        payload.put("amr", amr);
        payload.put("session_id", claims.sessionId().toString());
        payload.put("is_anonymous", user.isAnonymous());
        if (claims.clientId() != null) {
            payload.put("client_id", claims.clientId().toString());
            payload.put("scope", claims.scope() == null ? "" : claims.scope().value());
        }
        return payload;
    }

    @Override
    public Map<String, Object> publicJwks() {
        return publicJwks;
    }

    @Override
    public Optional<Verified> verify(String accessToken, Instant now) {
        if (accessToken == null || accessToken.isEmpty() || accessToken.length() > AccessTokenLimits.MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        try {
            JWSObject jws = JWSObject.parse(accessToken);
            JWSHeader header = jws.getHeader();
            OwnKey key = header.getKeyID() == null ? signingKey : keysById.get(header.getKeyID());
            if (key == null || !key.algorithm().equals(header.getAlgorithm()) || !jws.verify(key.verifier())) {
                return Optional.empty();
            }
            JsonNode payload = mapper.readTree(jws.getPayload().toBytes());
            JsonNode sub = payload.get("sub");
            JsonNode sessionId = payload.get("session_id");
            if (sub == null || !sub.isTextual() || sessionId == null || !sessionId.isTextual()) {
                return Optional.empty();
            }
            Optional<Instant> expiresAt = numericDate(payload, "exp");
            Optional<Instant> notBefore = numericDate(payload, "nbf");
            // iat is read for its type only: GoTrue's parser decodes it but does not compare it with the clock.
            numericDate(payload, "iat");
            if (expiresAt.isEmpty() || !now.isBefore(expiresAt.get()) || notBefore.filter(now::isBefore).isPresent()) {
                return Optional.empty();
            }
            return Optional.of(new Verified(UserId.parse(sub.textValue()), SessionId.parse(sessionId.textValue()), expiresAt.get()));
        } catch (Exception e) {
            // Any parse, crypto or claim failure means the same thing: this is not a token of ours.
            return Optional.empty();
        }
    }

    /**
     * A time claim as golang-jwt v5 reads it: absent or null is empty; otherwise any JSON number of
     * seconds, truncated to the second; anything else (text, an object, a value beyond the calendar)
     * makes the whole token invalid. No leeway is given anywhere, as GoTrue gives none: a token is
     * valid from {@code nbf} on and until the instant before {@code exp}.
     *
     * @throws IllegalArgumentException when the claim is present but not a usable date
     */
    private static Optional<Instant> numericDate(JsonNode payload, String claim) {
        JsonNode value = payload.get(claim);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue()))) {
            throw new IllegalArgumentException(claim + " is not a number");
        }
        long seconds = value.decimalValue().setScale(0, RoundingMode.FLOOR).longValueExact();
        return Optional.of(Instant.ofEpochSecond(seconds));
    }

    private static OwnKey generatedKey() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
            JWSSigner signer = ecdsaSigner(key);
            JWSVerifier verifier = new ECDSAVerifier(key.toPublicJWK());
            // Also the first signature, which builds the signer's precomputed tables before the first request.
            checkPairMatches("the generated key", JWSAlgorithm.ES256, signer, verifier);
            return new OwnKey(key.getKeyID(), JWSAlgorithm.ES256, signer, verifier,
                    publicJwkOf(key, key.getKeyID(), JWSAlgorithm.ES256));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate an ES256 key", e);
        }
    }

    /**
     * The private key is handed to BouncyCastle as its own key object, built once. Given the JDK's
     * {@code ECPrivateKey}, BouncyCastle converts the curve afresh for every signature, and with it
     * loses the precomputed multiples of the generator point it caches on the curve: each signature
     * then recomputes that table, which triples its cost (BENCHMARKS.md: 226 against 75 µs).
     */
    private static ECDSASigner ecdsaSigner(ECKey key) throws JOSEException {
        Provider bc = BouncyCastleProviderSingleton.getInstance();
        PrivateKey own;
        try {
            own = KeyFactory.getInstance("EC", bc).generatePrivate(new PKCS8EncodedKeySpec(key.toECPrivateKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new JOSEException("the EC private key cannot be used", e);
        }
        ECDSASigner signer = new ECDSASigner(own, Curve.P_256);
        signer.getJCAContext().setProvider(bc);
        return signer;
    }

    private static OwnKey hmacKey(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException("the HS256 secret must be at least " + MIN_HMAC_SECRET_BYTES + " bytes long");
        }
        try {
            // The kid is a MAC of a fixed label: it names the secret without revealing more than a token's own MAC does.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
            byte[] digest = mac.doFinal("auth-sessions key id".getBytes(StandardCharsets.US_ASCII));
            String kid = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
            return new OwnKey(kid, JWSAlgorithm.HS256, new MACSigner(bytes), new MACVerifier(bytes), null);
        } catch (JOSEException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("the HS256 secret cannot be used as an HMAC key");
        }
    }

    private static List<OwnKey> keySet(String json, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("the JWT key set is not valid JSON");
        }
        if (root == null || !root.isObject() || !root.path("keys").isArray() || root.path("keys").isEmpty()) {
            throw new IllegalArgumentException("the JWT key set must be a JSON object {\"keys\": [...]} with at least one key");
        }
        List<OwnKey> keys = new ArrayList<>();
        int signing = 0;
        for (int i = 0; i < root.get("keys").size(); i++) {
            OwnKey key = keyAt(root.get("keys").get(i), i, mapper);
            for (OwnKey other : keys) {
                if (other.kid().equals(key.kid())) {
                    throw new IllegalArgumentException("the JWT key set has two keys with kid \"" + key.kid() + "\"");
                }
            }
            if (key.signer() != null) {
                signing++;
            }
            keys.add(key);
        }
        if (signing != 1) {
            throw new IllegalArgumentException("the JWT key set must have exactly one key whose key_ops contains \"sign\" (found "
                    + signing + ")");
        }
        return keys;
    }

    private static OwnKey keyAt(JsonNode node, int index, ObjectMapper mapper) {
        String where = "JWT key #" + (index + 1);
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        String kty = node.path("kty").asText("");
        JWSAlgorithm algorithm;
        if (kty.equals("EC")) {
            String crv = node.path("crv").asText("");
            if (!crv.equals("P-256")) {
                throw new IllegalArgumentException(where + ": EC curve \"" + printable(crv) + "\" is not supported; use P-256 (ES256)");
            }
            algorithm = JWSAlgorithm.ES256;
        } else if (kty.equals("RSA")) {
            algorithm = JWSAlgorithm.RS256;
        } else {
            throw new IllegalArgumentException(where + ": key type \"" + printable(kty)
                    + "\" is not supported; use EC P-256 (ES256) or RSA (RS256); HS256 takes a secret, not a JWK");
        }
        JWK jwk;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = mapper.convertValue(node, Map.class);
            jwk = JWK.parse(fields);
        } catch (Exception e) {
            // The parser's message may quote key material, so it is not passed on.
            throw new IllegalArgumentException(where + " (" + kty + ") is not a well-formed JWK");
        }
        if (!jwk.isPrivate()) {
            throw new IllegalArgumentException(where + " is a public key; the key set needs private keys");
        }
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(algorithm.getName())) {
            throw new IllegalArgumentException(where + ": alg \"" + printable(jwk.getAlgorithm().getName()) + "\" does not fit a "
                    + kty + " key; expected " + algorithm.getName());
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            throw new IllegalArgumentException(where + ": use must be \"sig\"");
        }
        boolean signs = jwk.getKeyOperations() != null && jwk.getKeyOperations().contains(KeyOperation.SIGN);
        try {
            String kid = jwk.getKeyID() != null ? jwk.getKeyID() : jwk.computeThumbprint().toString();
            if (kid.length() > AccessTokenLimits.MAX_KID_CHARS) {
                throw new IllegalArgumentException(where + ": kid must be at most " + AccessTokenLimits.MAX_KID_CHARS + " characters");
            }
            JWSSigner signer;
            JWSVerifier verifier;
            if (jwk instanceof ECKey ec) {
                signer = ecdsaSigner(ec);
                verifier = new ECDSAVerifier(ec.toPublicJWK());
            } else {
                RSAKey rsa = (RSAKey) jwk;
                if (rsa.size() < MIN_RSA_BITS || rsa.size() > AccessTokenLimits.MAX_RSA_BITS) {
                    throw new IllegalArgumentException(where + ": RSA keys must have " + MIN_RSA_BITS + " to "
                            + AccessTokenLimits.MAX_RSA_BITS + " bits");
                }
                signer = new RSASSASigner(rsa);
                verifier = new RSASSAVerifier(rsa.toPublicJWK());
            }
            checkPairMatches(where, algorithm, signer, verifier);
            return new OwnKey(kid, algorithm, signs ? signer : null, verifier, publicJwkOf(jwk, kid, algorithm));
        } catch (JOSEException e) {
            throw new IllegalArgumentException(where + " (" + kty + ") cannot be used for " + algorithm.getName());
        }
    }

    /** A private part that does not belong to the public part would sign tokens nobody can verify. */
    private static void checkPairMatches(String where, JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier) throws JOSEException {
        JWSObject probe = new JWSObject(new JWSHeader(algorithm), new Payload("{}"));
        probe.sign(signer);
        if (!probe.verify(verifier)) {
            throw new IllegalArgumentException(where + ": the private key does not belong to the public key");
        }
    }

    private static Map<String, Object> publicJwkOf(JWK jwk, String kid, JWSAlgorithm algorithm) {
        Map<String, Object> json = new LinkedHashMap<>(jwk.toPublicJWK().toJSONObject());
        json.put("kid", kid);
        json.put("use", "sig");
        json.put("alg", algorithm.getName());
        json.put("key_ops", List.of("verify"));
        return Collections.unmodifiableMap(json);
    }

    /** Configuration text quoted back in a message: short, and only harmless characters. */
    private static String printable(String text) {
        String cut = text.length() > 20 ? text.substring(0, 20) + "…" : text;
        return cut.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}
