package dev.authsessions.bootstrap.reliability;

import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.SessionId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/** Byte-level surgery on v2 refresh tokens (SPEC §2), for tokens that pass or fail each parsing step on purpose. */
final class RefreshTokenForgery {
    static final int CHECKSUM_LENGTH = 4;

    private RefreshTokenForgery() {
    }

    static byte[] bytesOf(String token) {
        return Base64.getUrlDecoder().decode(token);
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Rewrites the last four bytes so the checksum step passes whatever came before. */
    static byte[] withValidChecksum(byte[] token) {
        byte[] fixed = token.clone();
        byte[] digest = sha256(Arrays.copyOf(fixed, fixed.length - CHECKSUM_LENGTH));
        System.arraycopy(digest, 0, fixed, fixed.length - CHECKSUM_LENGTH, CHECKSUM_LENGTH);
        return fixed;
    }

    /** The token's bytes with another session id in bytes 1..16 (and a valid checksum): its signature cannot match. */
    static String withSessionId(String token, UUID sessionId) {
        byte[] bytes = bytesOf(token);
        ByteBuffer.wrap(bytes, 1, 16).putLong(sessionId.getMostSignificantBits()).putLong(sessionId.getLeastSignificantBits());
        return encode(withValidChecksum(bytes));
    }

    /** A correctly signed token for a counter the server never issued. */
    static String signed(UUID sessionId, long counter, HmacKey key) {
        return RefreshToken.encode(new SessionId(sessionId), counter, key);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
