package dev.authsessions.adapters.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsessions.domain.HmacKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * How {@code auth.sessions.refresh_token_hmac_key} is kept at rest, in GoTrue's database encryption
 * format so that either server reads the other's rows:
 * {@code {"key_id":"<id>","alg":"aes-gcm-hkdf","data":"<base64>","nonce":"<base64>"}}, where {@code data} is
 * AES-256-GCM (12-byte random nonce, no associated data) under HKDF-SHA-256(configured key, no salt,
 * info = the session id's text) of the key's plaintext column value (base64url without padding of its
 * 32 bytes), and both byte fields are standard base64 with padding (Go's JSON encoding of bytes).
 * Plaintext values (no encryption configured, or written before it was) are read as they are. The
 * current key also decrypts; older keys only decrypt. A value that cannot be read (unknown key id, failed
 * authentication, malformed JSON) is a {@link StoredKeyException}: that session is unusable, loudly.
 */
public final class HmacKeyEncryption {
    static final String ALGORITHM = "aes-gcm-hkdf";
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KEY_ID = Pattern.compile("[^:,\\s\"\\\\]{1,128}");
    private static final Pattern PRINTABLE_KEY_ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<String> currentKeyId;
    private final Map<String, byte[]> keys;
    private final SecureRandom random = new SecureRandom();

    private HmacKeyEncryption(Optional<String> currentKeyId, Map<String, byte[]> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = keys;
    }

    /** Keys are written and read as plaintext; an encrypted value is unreadable. */
    public static HmacKeyEncryption none() {
        return new HmacKeyEncryption(Optional.empty(), Map.of());
    }

    /**
     * @param currentKeyId  the id new values are written under, or empty to write plaintext
     * @param currentKey    base64url (padding tolerated) of 32 bytes; present exactly when the id is
     * @param decryptionKeys older key ids and their keys (same encoding), only ever used to read
     * @throws IllegalArgumentException naming what is wrong, never a key
     */
    public static HmacKeyEncryption of(Optional<String> currentKeyId, Optional<String> currentKey,
                                       Map<String, String> decryptionKeys) {
        if (currentKeyId.isPresent() != currentKey.isPresent()) {
            throw new IllegalArgumentException("an encryption key needs a key id, and a key id needs a key");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        decryptionKeys.forEach((id, key) -> keys.put(checkKeyId(id), decodeKey(key, "decryption key '" + id + "'")));
        if (currentKeyId.isPresent()) {
            String id = checkKeyId(currentKeyId.get());
            byte[] current = decodeKey(currentKey.get(), "the encryption key");
            byte[] listed = keys.get(id);
            if (listed != null && !Arrays.equals(listed, current)) {
                throw new IllegalArgumentException("decryption key id '" + id + "' is the encryption key id with another key");
            }
            keys.put(id, current);
        }
        return new HmacKeyEncryption(currentKeyId, Map.copyOf(keys));
    }

    /** Whether new values are encrypted. */
    public boolean encrypts() {
        return currentKeyId.isPresent();
    }

    /** The column value for {@code key} of session {@code sessionId}: encrypted under the current key, or plaintext. */
    String seal(UUID sessionId, HmacKey key) {
        if (currentKeyId.isEmpty()) {
            return key.toBase64Url();
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return seal(sessionId, key, nonce);
    }

    /** As {@link #seal(UUID, HmacKey)} with a given nonce; for test vectors only (a nonce must never repeat). */
    String seal(UUID sessionId, HmacKey key, byte[] nonce) {
        String id = currentKeyId.orElseThrow(() -> new IllegalStateException("no encryption key configured"));
        byte[] data = gcm(Cipher.ENCRYPT_MODE, keys.get(id), sessionId, nonce,
                key.toBase64Url().getBytes(StandardCharsets.US_ASCII));
        Map<String, String> value = new LinkedHashMap<>();
        value.put("key_id", id);
        value.put("alg", ALGORITHM);
        value.put("data", Base64.getEncoder().encodeToString(data));
        value.put("nonce", Base64.getEncoder().encodeToString(nonce));
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the encrypted key", e);
        }
    }

    /** The key stored in the column value {@code stored} of session {@code sessionId}. */
    HmacKey open(UUID sessionId, String stored) {
        if (!isEncrypted(stored)) {
            try {
                return HmacKey.fromBase64Url(stored);
            } catch (IllegalArgumentException e) {
                throw new StoredKeyException(sessionId, "it is neither base64url nor encrypted JSON");
            }
        }
        JsonNode value = parse(sessionId, stored);
        String keyId = value.path("key_id").asText("");
        if (!ALGORITHM.equals(value.path("alg").asText(null))) {
            throw new StoredKeyException(sessionId, "its alg is not " + ALGORITHM);
        }
        byte[] key = keys.get(keyId);
        if (key == null) {
            throw new StoredKeyException(sessionId, "it is encrypted under key id " + printable(keyId)
                    + ", which is neither the encryption key nor a configured decryption key");
        }
        byte[] data = standardBase64(sessionId, value, "data");
        byte[] nonce = standardBase64(sessionId, value, "nonce");
        if (nonce.length != NONCE_BYTES || data.length <= TAG_BITS / 8) {
            throw new StoredKeyException(sessionId, "its nonce or data has the wrong length");
        }
        byte[] plaintext;
        try {
            plaintext = gcm(Cipher.DECRYPT_MODE, key, sessionId, nonce, data);
        } catch (IllegalStateException e) {
            throw new StoredKeyException(sessionId, "it does not decrypt under key id " + printable(keyId));
        }
        try {
            return HmacKey.fromBase64Url(new String(plaintext, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new StoredKeyException(sessionId, "its decrypted content is not a base64url key");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Whether the column value should be written again: encryption is on and the value is plaintext or
     * under another key id. Only called on values {@link #open} has read.
     */
    boolean needsRewrite(UUID sessionId, String stored) {
        if (currentKeyId.isEmpty()) {
            return false;
        }
        if (!isEncrypted(stored)) {
            return true;
        }
        return !currentKeyId.get().equals(parse(sessionId, stored).path("key_id").asText(""));
    }

    private static boolean isEncrypted(String stored) {
        return stored.startsWith("{");
    }

    private static JsonNode parse(UUID sessionId, String stored) {
        try {
            JsonNode node = JSON.readTree(stored);
            if (node == null || !node.isObject()) {
                throw new StoredKeyException(sessionId, "it is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            // The parser's message may quote the value: it is not passed on.
            throw new StoredKeyException(sessionId, "it is not valid JSON");
        }
    }

    private static byte[] standardBase64(UUID sessionId, JsonNode value, String field) {
        JsonNode node = value.get(field);
        if (node == null || !node.isTextual()) {
            throw new StoredKeyException(sessionId, "its " + field + " is missing");
        }
        try {
            return Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw new StoredKeyException(sessionId, "its " + field + " is not standard base64");
        }
    }

    /** AES-256-GCM under the session's derived key; {@link IllegalStateException} when authentication fails. */
    private static byte[] gcm(int mode, byte[] key, UUID sessionId, byte[] nonce, byte[] input) {
        byte[] derived = derive(key, sessionId);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(derived, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** HKDF-SHA-256 (RFC 5869) with no salt and the session id's canonical text as info. */
    static byte[] derive(byte[] key, UUID sessionId) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(key, null, sessionId.toString().getBytes(StandardCharsets.US_ASCII)));
        byte[] derived = new byte[KEY_BYTES];
        hkdf.generateBytes(derived, 0, KEY_BYTES);
        return derived;
    }

    private static String checkKeyId(String id) {
        Objects.requireNonNull(id, "key id");
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a key id is 1-128 characters without spaces, quotes, ':' or ','");
        }
        return id;
    }

    private static byte[] decodeKey(String text, String what) {
        byte[] bytes;
        try {
            String normalized = text.trim();
            while (normalized.endsWith("=")) {
                normalized = normalized.substring(0, normalized.length() - 1);
            }
            bytes = Base64.getUrlDecoder().decode(normalized);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64url");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(what + " must be 256 bits (32 bytes), not " + bytes.length * 8);
        }
        return bytes;
    }

    private static String printable(String keyId) {
        return PRINTABLE_KEY_ID.matcher(keyId).matches() ? "'" + keyId + "'" : "(unprintable)";
    }

    @Override
    public String toString() {
        return "HmacKeyEncryption[current=" + currentKeyId.orElse("none (plaintext)")
                + ", decrypts=" + keys.keySet().stream().sorted().toList() + "]";
    }

    /** A stored key that cannot be read; the message names the session and the reason, never the value. */
    public static final class StoredKeyException extends IllegalStateException {
        StoredKeyException(UUID sessionId, String reason) {
            super("refresh_token_hmac_key of session " + sessionId + " cannot be read: " + reason);
        }
    }
}
