package dev.authsessions.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.Scopes;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * The largest access token the service can sign, worked out from the limit on every value a token
 * carries, and the request header size that follows from it: a token the service issued must be
 * accepted in an {@code Authorization} header by every endpoint of its own (SPEC §9, "Limits agree").
 *
 * <p>Every claim is bounded: {@code aud}, {@code role}, {@code email} and {@code phone} at 255
 * characters ({@link UpsertUserRequest#MAX_SHORT_TEXT}), {@code scope} at {@link Scopes#MAX_LENGTH}
 * characters, {@code amr} at one entry per authentication method, {@code app_metadata} and
 * {@code user_metadata} at {@link #MAX_METADATA_BYTES} each (as measured by {@link #tokenBytes}), the
 * issuer at {@link #MAX_ISSUER_CHARS} characters, the key id at {@link #MAX_KID_CHARS} characters, and
 * RSA keys at {@link #MAX_RSA_BITS} bits. A character is counted at its widest in JSON: six bytes, as
 * a control character escaped {@code \u0001}.
 */
public final class AccessTokenLimits {
    /** The most {@code app_metadata} or {@code user_metadata} may take in a token, each. */
    public static final int MAX_METADATA_BYTES = 8 * 1024;
    /** The most characters of the {@code iss} claim. */
    public static final int MAX_ISSUER_CHARS = 1024;
    /** The most characters of a signing key's {@code kid}. */
    static final int MAX_KID_CHARS = 256;
    /** The largest RSA key (RS256); its signatures are {@code MAX_RSA_BITS / 8} bytes. */
    static final int MAX_RSA_BITS = 8192;

    /** The widest a character can be in JSON text: a control character escaped as {@code \u0001}. */
    private static final int WIDEST_CHAR_BYTES = 6;
    /** A signed 64-bit number written out: {@code exp}, {@code iat}, an AMR timestamp. */
    private static final int NUMBER_BYTES = 20;
    /** A UUID in quotes: {@code sub}, {@code session_id}, {@code client_id}. */
    private static final int UUID_BYTES = 38;
    /** Claim names, colons, commas and braces, with room to spare (the names alone take about 160 bytes). */
    private static final int PAYLOAD_STRUCTURE_BYTES = 512;
    /** One {@code {"method":"…","timestamp":…},} without the method, whose longest name has 12 characters. */
    private static final int AMR_ENTRY_BYTES = 28 + 12 + NUMBER_BYTES;
    /** The header's names and fixed values ({@code {"kid":…,"typ":"JWT","alg":"RS256"}}), with room to spare. */
    private static final int HEADER_STRUCTURE_BYTES = 64;

    /** The JSON payload of the largest token. */
    static final int MAX_PAYLOAD_BYTES = PAYLOAD_STRUCTURE_BYTES
            + quoted(MAX_ISSUER_CHARS)
            + 3 * UUID_BYTES
            + 4 * quoted(UpsertUserRequest.MAX_SHORT_TEXT)
            + 2 * NUMBER_BYTES
            + 2 * MAX_METADATA_BYTES
            + quoted(4)
            + 2 + AuthenticationMethod.values().length * AMR_ENTRY_BYTES
            + 5
            + quoted(Scopes.MAX_LENGTH);
    /** The JSON header of any token. */
    static final int MAX_HEADER_BYTES = HEADER_STRUCTURE_BYTES + quoted(MAX_KID_CHARS);

    /** The longest access token the service can issue, in characters. */
    public static final int MAX_TOKEN_CHARS = maxTokenChars(MAX_RSA_BITS / 8);

    /** Room for the request line and every other header a client sends beside the token (cookies, user agent …). */
    static final int OTHER_HEADERS_BYTES = 16 * 1024;
    /** Jetty's limit on a request's line and headers: the largest token and the other headers, rounded up to 4 KiB. */
    public static final int REQUEST_HEADER_BYTES = roundUp(MAX_TOKEN_CHARS + "Authorization: Bearer \r\n".length() + OTHER_HEADERS_BYTES,
            4 * 1024);

    private AccessTokenLimits() {
    }

    /** The longest token whose signature has {@code signatureBytes} bytes: three base64url parts and two dots. */
    static int maxTokenChars(int signatureBytes) {
        return base64UrlChars(MAX_HEADER_BYTES) + 1 + base64UrlChars(MAX_PAYLOAD_BYTES) + 1 + base64UrlChars(signatureBytes);
    }

    private static int quoted(int maxChars) {
        return 2 + maxChars * WIDEST_CHAR_BYTES;
    }

    private static int base64UrlChars(int bytes) {
        return (bytes * 4 + 2) / 3;
    }

    private static int roundUp(int value, int unit) {
        return (value + unit - 1) / unit * unit;
    }

    /**
     * The bytes a JSON value takes in an access token: compact, UTF-8, strings escaped as Jackson writes
     * them, and every number at its longest. A number comes back from PostgreSQL's {@code jsonb} written out
     * in full ({@code 1e308} as 309 digits, {@code 1e-300} as {@code 0.000…1}) and is counted so (see
     * {@link #numberBytes}), so no value can grow past the limit on its way into a token.
     */
    static long tokenBytes(JsonNode value) {
        switch (value.getNodeType()) {
            case OBJECT: {
                long bytes = 2 + Math.max(0, value.size() - 1);
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    bytes += stringBytes(field.getKey()) + 1 + tokenBytes(field.getValue());
                }
                return bytes;
            }
            case ARRAY: {
                long bytes = 2 + Math.max(0, value.size() - 1);
                for (JsonNode element : value) {
                    bytes += tokenBytes(element);
                }
                return bytes;
            }
            case STRING:
                return stringBytes(value.textValue());
            case NUMBER:
                return numberBytes(value.decimalValue());
            case BOOLEAN:
                return value.booleanValue() ? 4 : 5;
            default:
                return 4;
        }
    }

    /**
     * A string in quotes: escapes for quote, backslash and control characters, UTF-8 for the rest, as the
     * payload is written (as text, then encoded: a character outside the BMP is its four UTF-8 bytes).
     */
    private static long stringBytes(String text) {
        long bytes = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                bytes += WIDEST_CHAR_BYTES;
            } else if (c == '"' || c == '\\') {
                bytes += 2;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * A whole number (no digits after the point) comes back as an integer, written out in full; one with a
     * fraction as a double, or written out in full: the longer of the two. Worked out from the digits, never
     * by writing the number out (a thousand-digit exponent is a few bytes of input).
     */
    private static long numberBytes(BigDecimal number) {
        long sign = number.signum() < 0 ? 1 : 0;
        long digits = number.precision();
        long scale = number.scale();
        if (scale <= 0) {
            return sign + digits - scale;
        }
        long plain = digits > scale ? sign + digits + 1 : sign + 2 + scale;
        return Math.max(plain, Double.toString(number.doubleValue()).length());
    }
}
