package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authsessions.domain.HmacKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The at-rest format against vectors computed independently in Python ({@code gotrue-encryption/make_vectors.py},
 * HKDF and AES-GCM of the {@code cryptography} package), plus rotation, tampering and configuration errors.
 */
class HmacKeyEncryptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID SESSION = UUID.fromString("3f8e2a9c-5b1d-4e7f-a0c2-9d8b7a6f5e4d");
    private static final String KEY_A = b64url(bytes(1));
    private static final String KEY_B = b64url(bytes(2));

    record Vector(String name, String encryptionKey, String keyId, UUID sessionId, String hmacKey, byte[] nonce,
                  String stored, String storedReordered) {
    }

    private static List<Vector> vectors() throws IOException {
        try (InputStream in = HmacKeyEncryptionTest.class.getResourceAsStream("/gotrue-encryption/vectors.json")) {
            JsonNode root = JSON.readTree(in);
            List<Vector> vectors = new ArrayList<>();
            for (JsonNode c : root.path("cases")) {
                vectors.add(new Vector(c.path("name").asText(), c.path("encryption_key").asText(), c.path("key_id").asText(),
                        UUID.fromString(c.path("session_id").asText()), c.path("hmac_key").asText(),
                        Base64.getDecoder().decode(c.path("nonce").asText()), c.path("stored").asText(),
                        c.path("stored_reordered").asText()));
            }
            assertEquals(3, vectors.size(), "the vector file has every case");
            return vectors;
        }
    }

    private static byte[] bytes(int seed) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7);
        }
        return bytes;
    }

    private static String b64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static HmacKeyEncryption current(String id, String key) {
        return HmacKeyEncryption.of(Optional.of(id), Optional.of(key), Map.of());
    }

    private static HmacKey hmacKey() {
        return HmacKey.of(bytes(9));
    }

    @Test
    void sealingWithTheVectorsNonceGivesExactlyWhatPythonComputed() throws IOException {
        for (Vector v : vectors()) {
            HmacKeyEncryption encryption = current(v.keyId(), v.encryptionKey());
            assertEquals(v.stored(), encryption.seal(v.sessionId(), HmacKey.fromBase64Url(v.hmacKey()), v.nonce()), v.name());
        }
    }

    @Test
    void valuesWrittenByPythonInGoTruesFormatDecryptInEitherLayout() throws IOException {
        for (Vector v : vectors()) {
            HmacKeyEncryption encryption = current(v.keyId(), v.encryptionKey());
            assertEquals(HmacKey.fromBase64Url(v.hmacKey()), encryption.open(v.sessionId(), v.stored()), v.name());
            assertEquals(HmacKey.fromBase64Url(v.hmacKey()), encryption.open(v.sessionId(), v.storedReordered()), v.name());
        }
    }

    @Test
    void theDerivedKeyIsBoundToTheSessionId() throws IOException {
        Vector v = vectors().get(0);
        HmacKeyEncryption encryption = current(v.keyId(), v.encryptionKey());
        UUID otherSession = UUID.fromString("6f1c3b0e-2d4a-4b8e-9f6a-1c2d3e4f5a6c");
        assertThrows(HmacKeyEncryption.StoredKeyException.class, () -> encryption.open(otherSession, v.stored()),
                "a value copied to another session's row does not decrypt there");
        assertNotEquals(HexFormat.of().formatHex(HmacKeyEncryption.derive(bytes(1), SESSION)),
                HexFormat.of().formatHex(HmacKeyEncryption.derive(bytes(1), otherSession)));
    }

    @Test
    void roundTripsWithAFreshNonceEachTime() {
        HmacKeyEncryption encryption = current("k1", KEY_A);
        HmacKey key = hmacKey();
        String first = encryption.seal(SESSION, key);
        String second = encryption.seal(SESSION, key);
        assertNotEquals(first, second, "a nonce is never reused");
        assertEquals(key, encryption.open(SESSION, first));
        assertEquals(key, encryption.open(SESSION, second));
    }

    @Test
    void theStoredValueHasGoTruesShapeAndDoesNotContainTheKey() throws IOException {
        HmacKey key = hmacKey();
        String stored = current("k1", KEY_A).seal(SESSION, key);
        JsonNode value = JSON.readTree(stored);
        assertEquals(List.of("key_id", "alg", "data", "nonce"), iterableToList(value.fieldNames()));
        assertEquals("k1", value.path("key_id").asText());
        assertEquals("aes-gcm-hkdf", value.path("alg").asText());
        assertEquals(12, Base64.getDecoder().decode(value.path("nonce").asText()).length);
        // 43 characters of base64url text plus the 16-byte tag; standard base64 with padding.
        assertEquals(43 + 16, Base64.getDecoder().decode(value.path("data").asText()).length);
        assertTrue(value.path("data").asText().endsWith("="));
        assertNoTraceOf(key, stored);
    }

    @Test
    void plaintextValuesStillRead() {
        HmacKey key = hmacKey();
        assertEquals(key, current("k1", KEY_A).open(SESSION, key.toBase64Url()));
        assertEquals(key, HmacKeyEncryption.none().open(SESSION, key.toBase64Url()));
        assertEquals(key.toBase64Url(), HmacKeyEncryption.none().seal(SESSION, key), "without a key, keys are written as before");
    }

    @Test
    void anOldKeyIdDecryptsThroughTheDecryptionKeysAndIsMarkedForRewrite() {
        HmacKey key = hmacKey();
        String underOld = current("old", KEY_A).seal(SESSION, key);
        HmacKeyEncryption rotated = HmacKeyEncryption.of(Optional.of("new"), Optional.of(KEY_B), Map.of("old", KEY_A));
        assertEquals(key, rotated.open(SESSION, underOld));
        assertTrue(rotated.needsRewrite(SESSION, underOld));
        String underNew = rotated.seal(SESSION, key);
        assertFalse(rotated.needsRewrite(SESSION, underNew));
        assertEquals(key, current("new", KEY_B).open(SESSION, underNew), "the old key is no longer needed");
        assertTrue(rotated.needsRewrite(SESSION, key.toBase64Url()), "plaintext is encrypted on the next write");
        assertFalse(HmacKeyEncryption.none().needsRewrite(SESSION, key.toBase64Url()));
        HmacKeyEncryption decryptOnly = HmacKeyEncryption.of(Optional.empty(), Optional.empty(), Map.of("old", KEY_A));
        assertEquals(key, decryptOnly.open(SESSION, underOld));
        assertFalse(decryptOnly.needsRewrite(SESSION, underOld), "with encryption off nothing is rewritten");
    }

    @Test
    void unreadableValuesFailLoudlyWithoutQuotingThem() throws IOException {
        HmacKey key = hmacKey();
        String stored = current("gone", KEY_A).seal(SESSION, key);
        ObjectNode tampered = (ObjectNode) JSON.readTree(stored);
        byte[] data = Base64.getDecoder().decode(tampered.path("data").asText());
        data[0] ^= 1;
        tampered.put("data", Base64.getEncoder().encodeToString(data));
        ObjectNode wrongAlg = (ObjectNode) JSON.readTree(stored);
        wrongAlg.put("alg", "aes-cbc");
        ObjectNode shortNonce = (ObjectNode) JSON.readTree(stored);
        shortNonce.put("nonce", Base64.getEncoder().encodeToString(new byte[8]));
        Map<String, String> unreadable = Map.of(
                "unknown key id", stored,
                "tampered data", tampered.toString().replace("\"gone\"", "\"k1\""),
                "wrong alg", wrongAlg.toString().replace("\"gone\"", "\"k1\""),
                "short nonce", shortNonce.toString().replace("\"gone\"", "\"k1\""),
                "broken JSON", "{\"key_id\":\"k1\",\"data\":" + key.toBase64Url(),
                "not base64url", "not a key!");
        HmacKeyEncryption encryption = current("k1", KEY_A);
        unreadable.forEach((name, value) -> {
            HmacKeyEncryption.StoredKeyException e =
                    assertThrows(HmacKeyEncryption.StoredKeyException.class, () -> encryption.open(SESSION, value), name);
            assertTrue(e.getMessage().contains(SESSION.toString()), name);
            assertFalse(e.getMessage().contains(key.toBase64Url()), name);
            assertFalse(e.getMessage().contains(value), name);
            assertTrue(e.getCause() == null, name + ": no cause that might quote the value");
        });
        assertThrows(HmacKeyEncryption.StoredKeyException.class, () -> HmacKeyEncryption.none().open(SESSION, stored),
                "an encrypted value without any configured key");
    }

    @Test
    void badKeysAreRefusedWithoutQuotingThem() {
        String tooShort = b64url(new byte[16]);
        Map<String, Runnable> bad = Map.of(
                "key without id", () -> HmacKeyEncryption.of(Optional.empty(), Optional.of(KEY_A), Map.of()),
                "id without key", () -> HmacKeyEncryption.of(Optional.of("k1"), Optional.empty(), Map.of()),
                "not base64url", () -> current("k1", "+/not*base64url"),
                "wrong length", () -> current("k1", tooShort),
                "bad decryption key", () -> HmacKeyEncryption.of(Optional.empty(), Optional.empty(), Map.of("old", tooShort)),
                "bad key id", () -> current("has space", KEY_A),
                "current id with another key", () -> HmacKeyEncryption.of(Optional.of("k1"), Optional.of(KEY_A), Map.of("k1", KEY_B)));
        bad.forEach((name, call) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run, name);
            assertFalse(e.getMessage().contains(KEY_A) || e.getMessage().contains(KEY_B) || e.getMessage().contains(tooShort), name);
        });
        // The current key may also be listed with the same value.
        assertTrue(HmacKeyEncryption.of(Optional.of("k1"), Optional.of(KEY_A), Map.of("k1", KEY_A)).encrypts());
        assertEquals("HmacKeyEncryption[current=k1, decrypts=[k1, old]]",
                HmacKeyEncryption.of(Optional.of("k1"), Optional.of(KEY_A), Map.of("old", KEY_B)).toString());
    }

    /** Neither the base64url text, nor standard base64, nor hex of the key bytes appears in {@code text}. */
    static void assertNoTraceOf(HmacKey key, String text) {
        byte[] raw = key.bytes();
        assertFalse(text.contains(key.toBase64Url()));
        assertFalse(text.contains(Base64.getEncoder().withoutPadding().encodeToString(raw)));
        assertFalse(text.toLowerCase().contains(HexFormat.of().formatHex(raw)));
        assertFalse(text.contains(Base64.getEncoder().withoutPadding().encodeToString(key.toBase64Url().getBytes())));
    }

    private static List<String> iterableToList(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void theRawKeyBytesDoNotSurviveInTheCiphertext() throws IOException {
        HmacKey key = hmacKey();
        byte[] data = Base64.getDecoder().decode(JSON.readTree(current("k1", KEY_A).seal(SESSION, key)).path("data").asText());
        byte[] text = key.toBase64Url().getBytes();
        byte[] head = java.util.Arrays.copyOf(data, text.length);
        assertFalse(java.util.Arrays.equals(head, text));
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(data, 32), key.bytes()));
        assertArrayEquals(key.bytes(), current("k1", KEY_A).open(SESSION,
                current("k1", KEY_A).seal(SESSION, key)).bytes());
    }
}
