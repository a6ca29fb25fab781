package dev.authsessions.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Reads what a client could read in the tokens: the JWT payload, and the session and counter in a v2 refresh token. */
final class Tokens {
    private Tokens() {
    }

    /** The payload of a JWT, decoded without checking the signature. */
    static JsonNode payloadOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("not a JWS compact serialization: " + parts.length + " parts");
        }
        try {
            return Api.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SPEC §2: byte 0 version, bytes 1-16 the session id, then the counter as an unsigned LEB128 varint. */
    static UUID sessionOf(String refreshToken) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(refreshToken));
        bytes.get();
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    static long counterOf(String refreshToken) {
        byte[] bytes = Base64.getUrlDecoder().decode(refreshToken);
        long value = 0;
        int shift = 0;
        for (int i = 17; i < bytes.length; i++) {
            value |= (long) (bytes[i] & 0x7f) << shift;
            if ((bytes[i] & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
        throw new AssertionError("unterminated counter varint");
    }
}
