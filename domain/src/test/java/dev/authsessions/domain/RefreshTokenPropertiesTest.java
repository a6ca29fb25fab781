package dev.authsessions.domain;

import static dev.authsessions.domain.Generators.seedNote;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.authsessions.domain.InvalidRefreshTokenException.Check;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Property-style tests of the v2 codec over seeded random inputs plus the varint edge cases
 * (plain JUnit, see {@link Generators}).
 */
class RefreshTokenPropertiesTest {
    private static final Pattern UNPADDED_BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int TRIES = 3_000;

    private static int varintLength(long counter) {
        int bits = 64 - Long.numberOfLeadingZeros(counter);
        return Math.max(1, (bits + 6) / 7);
    }

    private static List<Long> countersToTry(SplittableRandom random) {
        List<Long> counters = new ArrayList<>();
        for (long edge : Generators.COUNTER_EDGES) {
            counters.add(edge);
        }
        for (int i = 0; i < TRIES; i++) {
            counters.add(Generators.counter(random));
        }
        return counters;
    }

    @Test
    void everyTokenRoundTripsAndIsSignedOnlyByItsKey() {
        SplittableRandom random = Generators.random("roundTrip");
        for (long counter : countersToTry(random)) {
            SessionId id = Generators.sessionId(random);
            HmacKey key = Generators.key(random);
            HmacKey otherKey = Generators.key(random);
            String context = "id " + id + ", counter " + counter + seedNote();

            String token = RefreshToken.encode(id, counter, key);
            RefreshToken parsed = RefreshToken.parse(token);

            assertEquals(id, parsed.sessionId(), context);
            assertEquals(counter, parsed.counter(), context);
            assertTrue(parsed.isSignedBy(key), context);
            assertFalse(parsed.isSignedBy(otherKey), context);
            assertEquals(token, RefreshToken.encode(id, counter, key), "deterministic: " + context);
            assertEquals(token, RefreshToken.encode(new SessionId(id.value()), counter, HmacKey.of(key.bytes())),
                    "depends only on the values: " + context);
        }
    }

    @Test
    void everyTokenHasTheSpecLayoutInUnpaddedBase64Url() {
        SplittableRandom random = Generators.random("layout");
        for (long counter : countersToTry(random)) {
            SessionId id = Generators.sessionId(random);
            HmacKey key = Generators.key(random);
            String context = "id " + id + ", counter " + counter + seedNote();

            String token = RefreshToken.encode(id, counter, key);
            byte[] decoded = TokenBytes.fromBase64Url(token);

            assertTrue(UNPADDED_BASE64URL.matcher(token).matches(), context);
            assertEquals(1 + 16 + varintLength(counter) + 16 + 4, decoded.length, context);
            assertTrue(decoded.length >= 38 && decoded.length <= 46, context);
            assertEquals((4 * decoded.length + 2) / 3, token.length(), "no padding: " + context);
            assertArrayEquals(TokenBytes.token(id.value(), counter, key.bytes()), decoded, context);
        }
    }

    @Test
    void distinctInputsGiveDistinctTokens() {
        SplittableRandom random = Generators.random("distinct");
        for (int i = 0; i < TRIES; i++) {
            SessionId id = Generators.sessionId(random);
            HmacKey key = Generators.key(random);
            long counter = Generators.counter(random);
            long otherCounter = counter == Long.MAX_VALUE ? counter - 1 : counter + 1;
            String context = "id " + id + ", counter " + counter + seedNote();
            String token = RefreshToken.encode(id, counter, key);
            assertNotEquals(token, RefreshToken.encode(id, otherCounter, key), context);
            assertNotEquals(token, RefreshToken.encode(id, counter, Generators.key(random)), context);
            SessionId otherId = new SessionId(new java.util.UUID(id.value().getMostSignificantBits() ^ 1,
                    id.value().getLeastSignificantBits()));
            assertNotEquals(token, RefreshToken.encode(otherId, counter, key), context);
        }
    }

    @Test
    void randomStringsOnlyEverFailAsInvalidRefreshTokens() {
        SplittableRandom random = Generators.random("strings");
        String urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String noisyAlphabet = urlAlphabet + "+/= .!%\n\t\u00e9\u0000\u20ac";
        Set<Check> seen = EnumSet.noneOf(Check.class);
        for (int i = 0; i < 20 * TRIES; i++) {
            String text = switch (random.nextInt(4)) {
                case 0 -> randomString(random, urlAlphabet, random.nextInt(0, 100));
                case 1 -> randomString(random, noisyAlphabet, random.nextInt(0, 100));
                case 2 -> randomCodePoints(random, random.nextInt(0, 80));
                default -> randomString(random, urlAlphabet, random.nextInt(48, 66));
            };
            parseExpectingOnlyInvalid(text, seen);
        }
        assertTrue(seen.containsAll(EnumSet.of(Check.BASE64URL, Check.LENGTH, Check.VERSION, Check.CHECKSUM)),
                "the generator must reach the early checks, saw " + seen + seedNote());
    }

    @Test
    void randomByteArraysOnlyEverFailAsInvalidRefreshTokens() {
        SplittableRandom random = Generators.random("bytes");
        Set<Check> seen = EnumSet.noneOf(Check.class);
        int parsed = 0;
        for (int i = 0; i < 20 * TRIES; i++) {
            byte[] bytes = Generators.bytes(random, random.nextInt(0, 60));
            int shape = random.nextInt(4);
            if (shape >= 1 && bytes.length > 0) {
                bytes[0] = 0;
            }
            if (shape >= 2 && bytes.length > 4) {
                // A correct checksum, so the varint and signature-length checks are reached.
                byte[] body = java.util.Arrays.copyOf(bytes, bytes.length - 4);
                if (shape == 3 && body.length > 17) {
                    // Mostly short varints, so well-formed tokens turn up too.
                    int varintBytes = random.nextInt(1, 11);
                    for (int b = 17; b < Math.min(body.length, 17 + varintBytes); b++) {
                        body[b] = (byte) (b == 17 + varintBytes - 1 ? body[b] & 0x7F : body[b] | 0x80);
                    }
                }
                bytes = TokenBytes.withChecksum(body);
            }
            String text = random.nextBoolean()
                    ? TokenBytes.base64Url(bytes)
                    : new String(bytes, StandardCharsets.ISO_8859_1);
            RefreshToken token = parseExpectingOnlyInvalid(text, seen);
            if (token != null) {
                parsed++;
                assertTrue(token.counter() >= 0, seedNote());
                assertFalse(token.isSignedBy(Generators.key(random)), "a random token is never signed by a random key");
            }
        }
        assertEquals(EnumSet.allOf(Check.class), seen, "the generator must reach every check" + seedNote());
        assertTrue(parsed > 0, "the generator must also produce well-formed tokens" + seedNote());
    }

    @Test
    void flippingAnySingleBitNeverYieldsAnotherValidToken() {
        SplittableRandom random = Generators.random("bitFlip");
        List<Long> counters = new ArrayList<>();
        for (long edge : Generators.COUNTER_EDGES) {
            counters.add(edge);
        }
        for (int i = 0; i < 150; i++) {
            counters.add(Generators.counter(random));
        }
        for (long counter : counters) {
            SessionId id = Generators.sessionId(random);
            HmacKey key = Generators.key(random);
            byte[] bytes = TokenBytes.fromBase64Url(RefreshToken.encode(id, counter, key));
            for (int bit = 0; bit < bytes.length * 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                RefreshToken token = parseExpectingOnlyInvalid(TokenBytes.base64Url(flipped), EnumSet.noneOf(Check.class));
                if (token != null && token.isSignedBy(key)) {
                    fail("bit " + bit + " of the token for id " + id + ", counter " + counter
                            + " flipped into a valid token " + token + seedNote());
                }
            }
        }
    }

    private static RefreshToken parseExpectingOnlyInvalid(String text, Set<Check> seen) {
        try {
            return RefreshToken.parse(text);
        } catch (InvalidRefreshTokenException e) {
            seen.add(e.failedCheck());
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("parse threw " + e + " for " + describe(text) + seedNote(), e);
        }
    }

    private static String describe(String text) {
        StringBuilder codePoints = new StringBuilder();
        text.codePoints().forEach(cp -> codePoints.append(String.format("U+%04X ", cp)));
        return "[" + codePoints.toString().trim() + "]";
    }

    private static String randomString(SplittableRandom random, String alphabet, int length) {
        StringBuilder result = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            result.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return result.toString();
    }

    private static String randomCodePoints(SplittableRandom random, int length) {
        StringBuilder result = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int cp = random.nextInt(0, Character.MAX_CODE_POINT + 1);
            if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                cp = 'A';
            }
            result.appendCodePoint(cp);
        }
        return result.toString();
    }
}
