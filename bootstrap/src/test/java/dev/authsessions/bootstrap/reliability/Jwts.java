package dev.authsessions.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads access tokens without verifying them, and makes the forgeries the security tests present. */
final class Jwts {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Jwts() {
    }

    static ObjectNode headerOf(String jwt) {
        return part(jwt, 0);
    }

    static ObjectNode payloadOf(String jwt) {
        return part(jwt, 1);
    }

    private static ObjectNode part(String jwt, int index) {
        if (jwt == null) {
            throw new AssertionError("no token");
        }
        try {
            return (ObjectNode) Client.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String encode(JsonNode json) {
        return ENCODER.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The token's header and signature around another payload. */
    static String withPayload(String jwt, JsonNode payload) {
        String[] parts = jwt.split("\\.");
        return parts[0] + "." + encode(payload) + "." + parts[2];
    }

    /** {@code alg: none}, no signature. */
    static String unsigned(String kid, JsonNode payload) {
        ObjectNode header = Client.JSON.createObjectNode().put("alg", "none").put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        return encode(header) + "." + encode(payload) + ".";
    }

    static String hs256(byte[] secret, String kid, JsonNode payload) {
        try {
            return sign(JWSAlgorithm.HS256, new MACSigner(secret), kid, payload);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(ECKey key, String kid, JsonNode payload) {
        try {
            return sign(JWSAlgorithm.ES256, new ECDSASigner(key), kid, payload);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSAlgorithm algorithm, JWSSigner signer, String kid, JsonNode payload) throws JOSEException {
        JWSHeader.Builder header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT);
        if (kid != null) {
            header.keyID(kid);
        }
        JWSObject jws = new JWSObject(header.build(), new Payload(payload.toString()));
        jws.sign(signer);
        return jws.serialize();
    }
}
