package dev.authsessions.domain;

import static dev.authsessions.domain.TokenBytes.base64Url;
import static dev.authsessions.domain.TokenBytes.bytes;
import static dev.authsessions.domain.TokenBytes.concat;
import static dev.authsessions.domain.TokenBytes.repeat;
import static dev.authsessions.domain.TokenBytes.signed;
import static dev.authsessions.domain.TokenBytes.uuid;
import static dev.authsessions.domain.TokenBytes.withChecksum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.domain.InvalidRefreshTokenException.Check;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Example tests of the v2 codec: each parse failure of SPEC §2 in its order, and vectors computed by Python. */
class RefreshTokenTest {
    private static final UUID ID = UUID.fromString("6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13");
    private static final byte[] KEY = bytes(
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
            31, 32);
    private static final byte[] SIGNATURE = repeat(0x5A, 16);

    private static Check failedCheck(String text) {
        return assertThrows(InvalidRefreshTokenException.class, () -> RefreshToken.parse(text)).failedCheck();
    }

    private static Check failedCheck(byte[] tokenBytes) {
        return failedCheck(base64Url(tokenBytes));
    }

    /** 0x00 | id | counter bytes | 16 signature bytes | correct checksum. */
    private static byte[] withCounterBytes(byte[] counterBytes) {
        return withChecksum(concat(bytes(0), uuid(ID), counterBytes, SIGNATURE));
    }

    private static String validToken() {
        return RefreshToken.encode(new SessionId(ID), 300, HmacKey.of(KEY));
    }

    @Test
    void theFirstTokenOfASessionIs38BytesAndParsesBack() {
        String token = RefreshToken.encode(new SessionId(ID), 0, HmacKey.of(KEY));

        byte[] decoded = TokenBytes.fromBase64Url(token);
        assertEquals(38, decoded.length);
        assertArrayEquals(TokenBytes.token(ID, 0, KEY), decoded);
        RefreshToken parsed = RefreshToken.parse(token);
        assertEquals(new SessionId(ID), parsed.sessionId());
        assertEquals(0, parsed.counter());
        assertTrue(parsed.isSignedBy(HmacKey.of(KEY)));
    }

    @Test
    void aNegativeCounterCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> RefreshToken.encode(new SessionId(ID), -1, HmacKey.of(KEY)));
        assertThrows(IllegalArgumentException.class,
                () -> RefreshToken.encode(new SessionId(ID), Long.MIN_VALUE, HmacKey.of(KEY)));
    }

    @Test
    void neitherTheTokenNorItsSignatureAppearsInMessages() {
        String token = validToken();
        RefreshToken parsed = RefreshToken.parse(token);
        assertFalse(parsed.toString().contains(token));
        assertEquals("RefreshToken[session=" + ID + ", counter=300]", parsed.toString());

        byte[] tamperedBytes = TokenBytes.fromBase64Url(token);
        tamperedBytes[tamperedBytes.length - 1] ^= 0x01;
        String tampered = base64Url(tamperedBytes);
        InvalidRefreshTokenException e =
                assertThrows(InvalidRefreshTokenException.class, () -> RefreshToken.parse(tampered));
        assertEquals("Refresh token is not valid (CHECKSUM)", e.getMessage());
        assertFalse(e.getMessage().contains(tampered));
    }

    @Nested
    class Base64UrlIsCheckedFirst {
        @ParameterizedTest
        @ValueSource(strings = {"!", "A", "not a token", "AAAA AAAA", "AAAA\nAAAA", "AAAAé", "AAAA%3D", "AA==", "AAA="})
        void aStringOutsideUnpaddedBase64UrlFails(String text) {
            assertEquals(Check.BASE64URL, failedCheck(text));
        }

        @Test
        void paddingIsRefusedEvenOnAnOtherwiseValidToken() {
            String token = RefreshToken.encode(new SessionId(ID), 0, HmacKey.of(KEY));
            String padded = token + "=".repeat((4 - token.length() % 4) % 4);
            assertTrue(padded.endsWith("="), "the example must need padding");
            assertEquals(Check.BASE64URL, failedCheck(padded));
        }

        @Test
        void theStandardAlphabetIsRefused() {
            String token = validToken();
            assertTrue(token.contains("-") || token.contains("_"), "the example must use a URL-only character");
            assertEquals(Check.BASE64URL, failedCheck(token.replace('-', '+').replace('_', '/')));
        }

        @Test
        void surroundingWhitespaceIsRefused() {
            String token = validToken();
            assertEquals(Check.BASE64URL, failedCheck(" " + token));
            assertEquals(Check.BASE64URL, failedCheck(token + "\n"));
            assertEquals(Check.BASE64URL, failedCheck(token + "\t"));
        }

        @Test
        void aLengthNoBase64StringCanHaveIsRefusedBeforeTheLengthCheck() {
            // 4k+1 characters never decode; 53 is also too short for a token, but base64url comes first.
            assertEquals(Check.BASE64URL, failedCheck("A".repeat(53)));
            assertEquals(Check.BASE64URL, failedCheck("A".repeat(5)));
        }

        @Test
        void anOverlongStringWithABadCharacterIsABase64Failure() {
            assertEquals(Check.BASE64URL, failedCheck("A".repeat(200) + "!"));
            assertEquals(Check.BASE64URL, failedCheck("!" + "A".repeat(200)));
        }
    }

    @Nested
    class LengthComesSecond {
        @Test
        void theEmptyStringIsTooShort() {
            assertEquals(Check.LENGTH, failedCheck(""));
        }

        @Test
        void nullIsRefusedAsInvalid() {
            assertThrows(InvalidRefreshTokenException.class, () -> RefreshToken.parse(null));
        }

        @Test
        void thirtySevenBytesAreTooShortWhateverTheyHold() {
            assertEquals(Check.LENGTH, failedCheck(new byte[37]));
            // A wrong version byte does not matter yet: length is checked before version.
            byte[] wrongVersion = new byte[37];
            wrongVersion[0] = 1;
            assertEquals(Check.LENGTH, failedCheck(wrongVersion));
            // A well-formed token cut by one byte.
            byte[] full = TokenBytes.token(ID, 0, KEY);
            assertEquals(Check.LENGTH, failedCheck(Arrays.copyOf(full, 37)));
        }

        @Test
        void thirtyEightBytesPassTheLengthCheck() {
            byte[] thirtyEight = new byte[38];
            thirtyEight[0] = 1;
            assertEquals(Check.VERSION, failedCheck(thirtyEight));
        }

        @Test
        void aBase64UrlStringLongerThanAnyTokenIsALengthFailure() {
            // 47 bytes (a 10-byte varint) is the longest parseable token: 63 characters.
            assertEquals(63, RefreshToken.MAX_ENCODED_LENGTH);
            assertEquals(Check.LENGTH, failedCheck("A".repeat(64)));
            assertEquals(Check.LENGTH, failedCheck("A".repeat(10_000)));
            assertEquals(Check.LENGTH, failedCheck(concat(TokenBytes.token(ID, Long.MAX_VALUE, KEY), new byte[2])));
            // 63 characters are decoded and reach the later checks.
            assertEquals(Check.CHECKSUM, failedCheck("A".repeat(63)));
        }
    }

    @Nested
    class VersionComesThird {
        @ParameterizedTest
        @ValueSource(ints = {1, 2, 0x7F, 0x80, 0xFF})
        void anyVersionButZeroFailsBeforeTheChecksumIsLookedAt(int version) {
            byte[] badChecksum = new byte[38];
            badChecksum[0] = (byte) version;
            assertEquals(Check.VERSION, failedCheck(badChecksum));

            byte[] goodChecksum = withChecksum(concat(bytes(version), uuid(ID), bytes(0), SIGNATURE));
            assertEquals(Check.VERSION, failedCheck(goodChecksum));
        }
    }

    @Nested
    class ChecksumComesFourth {
        @Test
        void anyChangedChecksumByteFails() {
            byte[] token = TokenBytes.token(ID, 300, KEY);
            for (int i = token.length - 4; i < token.length; i++) {
                byte[] changed = token.clone();
                changed[i] ^= 0x01;
                assertEquals(Check.CHECKSUM, failedCheck(changed), "checksum byte " + i);
            }
        }

        @Test
        void aChangedBodyByteFailsTheChecksum() {
            byte[] token = TokenBytes.token(ID, 300, KEY);
            for (int i = 1; i < token.length - 4; i++) {
                byte[] changed = token.clone();
                changed[i] ^= (byte) 0x80;
                assertEquals(Check.CHECKSUM, failedCheck(changed), "body byte " + i);
            }
        }

        @Test
        void theChecksumIsCheckedBeforeTheVarint() {
            byte[] unterminated = concat(bytes(0), uuid(ID), repeat(0xFF, 21));
            assertEquals(38, unterminated.length);
            assertEquals(Check.CHECKSUM, failedCheck(unterminated));
        }

        @Test
        void theChecksumIsCheckedBeforeTheSignatureLength() {
            byte[] shortSignature = withChecksum(concat(bytes(0), uuid(ID), bytes(0x80, 0x01), repeat(0, 15)));
            shortSignature[shortSignature.length - 1] ^= 0x01;
            assertEquals(Check.CHECKSUM, failedCheck(shortSignature));
        }
    }

    @Nested
    class VarintComesFifth {
        @Test
        void aTenthByteAboveOneOverflows() {
            byte[] tenthIsTwo = concat(repeat(0x80, 9), bytes(0x02));
            assertEquals(Check.VARINT, failedCheck(withCounterBytes(tenthIsTwo)));
            byte[] tenthIsMax = concat(repeat(0xFF, 9), bytes(0x7F));
            assertEquals(Check.VARINT, failedCheck(withCounterBytes(tenthIsMax)));
        }

        @Test
        void aTenthByteWithTheContinuationBitOverflows() {
            byte[] tenthContinues = concat(repeat(0x80, 10), bytes(0x00));
            assertEquals(Check.VARINT, failedCheck(withChecksum(concat(bytes(0), uuid(ID), tenthContinues, repeat(1, 15)))));
        }

        @Test
        void aVarintThatNeverEndsBeforeTheChecksumIsUnterminated() {
            // Every byte between the id and the checksum has the continuation bit (GoTrue's own negative example).
            byte[] body = concat(bytes(0), uuid(ID), repeat(0xFF, 17));
            assertEquals(Check.VARINT, failedCheck(withChecksum(body)));
            byte[] nineBytesLeft = concat(bytes(0), uuid(ID), repeat(0x80, 9));
            assertEquals(Check.LENGTH, failedCheck(withChecksum(nineBytesLeft)), "too short before the varint is read");
        }

        @Test
        void aValueAboveTheLargestSignedLongIsRefused() {
            byte[] twoToThe63 = concat(repeat(0x80, 9), bytes(0x01));
            assertEquals(Check.VARINT, failedCheck(withCounterBytes(twoToThe63)));
            byte[] twoToThe64MinusOne = concat(repeat(0xFF, 9), bytes(0x01));
            assertEquals(Check.VARINT, failedCheck(withCounterBytes(twoToThe64MinusOne)));
        }

        @Test
        void theLargestSignedLongIsAccepted() {
            byte[] max = concat(repeat(0xFF, 8), bytes(0x7F));
            assertArrayEquals(TokenBytes.uvarint(Long.MAX_VALUE), max);
            RefreshToken parsed = RefreshToken.parse(base64Url(signed(ID, max, KEY)));
            assertEquals(Long.MAX_VALUE, parsed.counter());
            assertTrue(parsed.isSignedBy(HmacKey.of(KEY)));
        }

        @Test
        void aTenByteVarintEndingInZeroIsReadAsGoReadsIt() {
            // Go's binary.Uvarint accepts a non-minimal encoding; the signature covers these exact bytes.
            byte[] nonMinimal = concat(bytes(0xAC, 0x82), repeat(0x80, 7), bytes(0x00));
            byte[] token = signed(ID, nonMinimal, KEY);
            assertEquals(47, token.length);
            RefreshToken parsed = RefreshToken.parse(base64Url(token));
            assertEquals(300, parsed.counter());
            assertTrue(parsed.isSignedBy(HmacKey.of(KEY)));
            // It is not the token the server issues for counter 300, whose signature covers the 2-byte form.
            assertFalse(RefreshToken.parse(base64Url(withChecksum(concat(
                    Arrays.copyOf(token, token.length - 4 - 16),
                    Arrays.copyOfRange(TokenBytes.token(ID, 300, KEY), 19, 35))))).isSignedBy(HmacKey.of(KEY)));
        }
    }

    @Nested
    class SignatureLengthComesLast {
        @Test
        void fifteenSignatureBytesAreRefused() {
            // A two-byte varint in a 38-byte token leaves 15 bytes (GoTrue's own negative example).
            byte[] token = withChecksum(concat(bytes(0), uuid(ID), bytes(0xFF, 0x00), repeat(0, 15)));
            assertEquals(38, token.length);
            assertEquals(Check.SIGNATURE_LENGTH, failedCheck(token));
        }

        @Test
        void seventeenSignatureBytesAreRefused() {
            assertEquals(Check.SIGNATURE_LENGTH, failedCheck(withChecksum(concat(bytes(0), uuid(ID), bytes(5), repeat(7, 17)))));
        }

        @Test
        void aValidTokenWithAByteInsertedBeforeTheChecksumIsRefused() {
            byte[] token = TokenBytes.token(ID, Long.MAX_VALUE, KEY);
            byte[] body = Arrays.copyOf(token, token.length - 4);
            assertEquals(Check.SIGNATURE_LENGTH, failedCheck(withChecksum(concat(body, bytes(0)))));
            assertEquals(Check.SIGNATURE_LENGTH, failedCheck(withChecksum(Arrays.copyOf(body, body.length - 1))));
        }

        @Test
        void exactlySixteenBytesParseEvenWithAWrongSignature() {
            RefreshToken parsed = RefreshToken.parse(base64Url(withCounterBytes(bytes(5))));
            assertEquals(5, parsed.counter());
            assertEquals(new SessionId(ID), parsed.sessionId());
            assertFalse(parsed.isSignedBy(HmacKey.of(KEY)), "parsing never checks the signature; isSignedBy does");
        }
    }

    @Nested
    class PythonVectors {
        record Vector(SessionId sessionId, long counter, HmacKey key, String token) {
        }

        private static List<Vector> vectors() throws IOException {
            try (InputStream in = RefreshTokenTest.class.getResourceAsStream("/vectors/refresh_tokens.tsv")) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return text.lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .map(line -> line.split("\t"))
                        .map(f -> new Vector(SessionId.parse(f[0]), Long.parseLong(f[1]), HmacKey.fromBase64Url(f[2]), f[3]))
                        .toList();
            }
        }

        @Test
        void thereIsOneVectorPerSessionAndRequiredCounter() throws IOException {
            List<Vector> vectors = vectors();
            assertEquals(15, vectors.size());
            assertEquals(List.of(0L, 1L, 300L, 1L << 32, Long.MAX_VALUE),
                    vectors.stream().map(Vector::counter).distinct().toList());
        }

        @Test
        void javaEncodesExactlyWhatPythonComputed() throws IOException {
            for (Vector v : vectors()) {
                assertEquals(v.token(), RefreshToken.encode(v.sessionId(), v.counter(), v.key()), v.toString());
            }
        }

        @Test
        void javaParsesWhatPythonComputed() throws IOException {
            HmacKey otherKey = HmacKey.of(repeat(0x42, 32));
            for (Vector v : vectors()) {
                RefreshToken parsed = RefreshToken.parse(v.token());
                assertEquals(v.sessionId(), parsed.sessionId(), v.token());
                assertEquals(v.counter(), parsed.counter(), v.token());
                assertTrue(parsed.isSignedBy(v.key()), v.token());
                assertFalse(parsed.isSignedBy(otherKey), v.token());
            }
        }
    }
}
