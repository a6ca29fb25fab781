package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.User;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, point 6: the largest access token the service can issue fits the request header limit, and
 * the limits it is worked out from hold (metadata measured as it will be in a token, issuer, key id, RSA size).
 */
class AccessTokenLimitsTest {
    /** The mapper the token's payload is written with (as text): Jackson's defaults. */
    private static final ObjectMapper TOKEN_JSON = new ObjectMapper();
    /** A control character: six bytes in JSON ({@code \u0001}), the widest a character gets. */
    private static final String WIDEST = "\u0001";

    @Test
    void aTokenWithEveryValueAtItsLimitFitsTheBoundAndVerifies() throws Exception {
        String kid = WIDEST.repeat(AccessTokenLimits.MAX_KID_CHARS);
        RSAKey key = new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).keyOperations(Set.of(KeyOperation.SIGN)).generate();
        NimbusAccessTokens tokens = new NimbusAccessTokens(new JwtSettings(Optional.of("{\"keys\":[" + key.toJSONString() + "]}"),
                Optional.empty(), WIDEST.repeat(AccessTokenLimits.MAX_ISSUER_CHARS)));
        String widestText = WIDEST.repeat(UpsertUserRequest.MAX_SHORT_TEXT);
        User user = new User(Fixtures.USER_ID, widestText, widestText, widestText, widestText,
                widestMetadata(AccessTokenLimits.MAX_METADATA_BYTES), widestMetadata(AccessTokenLimits.MAX_METADATA_BYTES),
                true, null, Fixtures.CREATED, Fixtures.UPDATED, true);
        List<AmrClaim> amr = new ArrayList<>();
        for (AuthenticationMethod method : AuthenticationMethod.values()) {
            amr.add(new AmrClaim(method, Instant.MIN));
        }
        AccessTokenSigner.Claims claims = new AccessTokenSigner.Claims(user, Fixtures.SESSION_ID, Aal.AAL3, amr, Instant.MIN,
                Instant.MAX, OAuthClientId.parse("99999999-8888-4777-8666-555555555555"), new Scopes(WIDEST.repeat(Scopes.MAX_LENGTH)));

        String token = tokens.sign(claims);

        int bound = AccessTokenLimits.maxTokenChars(2048 / 8);
        assertTrue(token.length() <= bound, token.length() + " > " + bound);
        assertTrue(token.length() > bound * 95L / 100, "the test's token is not near the largest: " + token.length() + " of " + bound);
        assertTrue(tokens.verify(token, Instant.parse("2030-01-01T00:00:00Z")).isPresent(), "the service refuses its own token");
        assertTrue(AccessTokenLimits.MAX_TOKEN_CHARS >= AccessTokenLimits.maxTokenChars(AccessTokenLimits.MAX_RSA_BITS / 8));
        assertTrue(AccessTokenLimits.REQUEST_HEADER_BYTES
                >= AccessTokenLimits.MAX_TOKEN_CHARS + "Authorization: Bearer \r\n".length() + AccessTokenLimits.OTHER_HEADERS_BYTES);
    }

    @Test
    void theOpenApiDocumentStatesTheLimitsTheServerHas() {
        String description = OpenApiContract.get().document().at("/info/description").asText();
        assertTrue(description.contains(String.format(java.util.Locale.ROOT, "at most %,d characters", AccessTokenLimits.MAX_TOKEN_CHARS)),
                description);
        assertTrue(description.contains("headers up to " + AccessTokenLimits.REQUEST_HEADER_BYTES / 1024 + " KiB"), description);
        assertTrue(OpenApiContract.get().document().at("/components/schemas/UpsertUserRequest/properties/app_metadata/description")
                .asText().startsWith("At most " + AccessTokenLimits.MAX_METADATA_BYTES + " bytes"));
    }

    /**
     * Metadata as it comes back from the database, that takes exactly {@code bytes} in a token: whole numbers
     * written out in full, control characters, and characters of every UTF-8 width.
     */
    private static Map<String, Object> widestMetadata(int bytes) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("n", List.of(BigInteger.TEN.pow(308), BigInteger.TEN.pow(308).negate(), 0.5));
        metadata.put("t", "é€\"\\" + "😀".repeat(200));
        metadata.put("p", "");
        long used = AccessTokenLimits.tokenBytes(TOKEN_JSON.valueToTree(metadata));
        int left = Math.toIntExact(bytes - used);
        metadata.put("p", WIDEST.repeat(left / 6) + "x".repeat(left % 6));
        assertEquals(bytes, AccessTokenLimits.tokenBytes(TOKEN_JSON.valueToTree(metadata)));
        return metadata;
    }

    @Test
    void metadataIsMeasuredAsItIsWrittenInAToken() throws Exception {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("name", "Ada \"the first\" \\ Lovelace");
        plain.put("scripts", List.of("é", "€", "😀", "日本語"));
        plain.put("flags", Map.of("admin", true, "beta", false, "none", "null"));
        plain.put("nothing", null);
        plain.put("count", 42);
        plain.put("ratio", 0.5);
        plain.put("control", WIDEST);
        JsonNode node = TOKEN_JSON.valueToTree(plain);
        // The payload is written as text and then encoded (NimbusAccessTokens): a character outside the BMP is 4 bytes.
        assertEquals(TOKEN_JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8).length, AccessTokenLimits.tokenBytes(node));
    }

    @Test
    void aNumberCountsAtTheLengthItComesBackWithFromTheDatabase() throws Exception {
        ObjectMapper exact = Json.MAPPER;
        assertEquals(309, AccessTokenLimits.tokenBytes(exact.readTree("1e308")), "jsonb writes 1e308 out in 309 digits");
        assertEquals(310, AccessTokenLimits.tokenBytes(exact.readTree("-1e308")));
        assertEquals(1102, AccessTokenLimits.tokenBytes(exact.readTree("1e-1100")), "0.000…1, counted without being written");
        assertEquals(Math.max("12345678.5".length(), "1.23456785E7".length()),
                AccessTokenLimits.tokenBytes(exact.readTree("12345678.5")), "read back as a double, written 1.23456785E7");
        assertEquals(3, AccessTokenLimits.tokenBytes(exact.readTree("100")));
        assertEquals(3, AccessTokenLimits.tokenBytes(exact.readTree("1e2")), "a whole number comes back as 100");
        assertEquals(3, AccessTokenLimits.tokenBytes(exact.readTree("0.5")));
        assertEquals(2 + 309 + 1 + 309, AccessTokenLimits.tokenBytes(exact.readTree("[1e308,1e308]")));
    }

    @Test
    void metadataOverItsLimitIsRefusedNamingTheField() throws Exception {
        String atLimit = "{\"user_metadata\":{\"a\":\"" + "x".repeat(AccessTokenLimits.MAX_METADATA_BYTES - 8) + "\"}}";
        JsonFields fields = new JsonFields((ObjectNode) Json.MAPPER.readTree(atLimit));
        assertTrue(fields.objectChange("user_metadata", AccessTokenLimits.MAX_METADATA_BYTES).present());

        String overLimit = atLimit.replace("\"}}", "x\"}}");
        Rejection tooLarge = assertThrows(Rejection.class, () -> new JsonFields((ObjectNode) Json.MAPPER.readTree(overLimit))
                .objectChange("user_metadata", AccessTokenLimits.MAX_METADATA_BYTES));
        assertTrue(tooLarge.getMessage().startsWith("user_metadata must be at most 8192 bytes"), tooLarge.getMessage());

        // Six bytes of input that come back as 309 digits count as 309.
        String growing = "{\"app_metadata\":{\"n\":[" + String.join(",", java.util.Collections.nCopies(27, "1e308")) + "]}}";
        assertTrue(growing.getBytes(StandardCharsets.UTF_8).length < 300);
        assertThrows(Rejection.class, () -> new JsonFields((ObjectNode) Json.MAPPER.readTree(growing))
                .objectChange("app_metadata", AccessTokenLimits.MAX_METADATA_BYTES));
    }

    @Test
    void theIssuerKeyIdAndRsaKeySizeAreBounded() throws Exception {
        IllegalArgumentException issuer = assertThrows(IllegalArgumentException.class, () -> new JwtSettings(Optional.empty(),
                Optional.empty(), "i".repeat(AccessTokenLimits.MAX_ISSUER_CHARS + 1)));
        assertTrue(issuer.getMessage().contains("at most 1024"), issuer.getMessage());
        new JwtSettings(Optional.empty(), Optional.empty(), "i".repeat(AccessTokenLimits.MAX_ISSUER_CHARS));

        String longKid = new ECKeyGenerator(Curve.P_256).keyID("k".repeat(AccessTokenLimits.MAX_KID_CHARS + 1))
                .keyOperations(Set.of(KeyOperation.SIGN)).generate().toJSONString();
        IllegalArgumentException kid = assertThrows(IllegalArgumentException.class, () -> new NimbusAccessTokens(
                new JwtSettings(Optional.of("{\"keys\":[" + longKid + "]}"), Optional.empty(), "iss")));
        assertTrue(kid.getMessage().contains("kid must be at most 256"), kid.getMessage());

        // A key larger than the limit is refused by its size, before any use (its numbers need not even fit together).
        SecureRandom random = new SecureRandom();
        int bits = AccessTokenLimits.MAX_RSA_BITS + 8;
        BigInteger modulus = new BigInteger(bits, random).setBit(bits - 1);
        RSAKey huge = new RSAKey.Builder(Base64URL.encode(modulus), Base64URL.encode(BigInteger.valueOf(65537)))
                .privateExponent(Base64URL.encode(new BigInteger(bits - 1, random)))
                .keyID("huge").keyOperations(Set.of(KeyOperation.SIGN)).build();
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> new NimbusAccessTokens(
                new JwtSettings(Optional.of("{\"keys\":[" + huge.toJSONString() + "]}"), Optional.empty(), "iss")));
        assertTrue(size.getMessage().contains("RSA keys must have 2048 to 8192 bits"), size.getMessage());
    }
}
