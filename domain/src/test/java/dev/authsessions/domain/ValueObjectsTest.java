package dev.authsessions.domain;

import static dev.authsessions.domain.Generators.seedNote;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariants of the value objects: ids, scopes, keys, sessions, users, AMR claims and the enums' wire values. */
class ValueObjectsTest {
    private static final String CANONICAL = "6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13";

    @Nested
    class Ids {
        @Test
        void canonicalTextIsAcceptedByEveryIdType() {
            UUID expected = UUID.fromString(CANONICAL);
            assertEquals(expected, SessionId.parse(CANONICAL).value());
            assertEquals(expected, UserId.parse(CANONICAL).value());
            assertEquals(expected, FactorId.parse(CANONICAL).value());
            assertEquals(expected, OAuthClientId.parse(CANONICAL).value());
            assertEquals(CANONICAL, SessionId.parse(CANONICAL).toString());
        }

        @Test
        void upperCaseHexNamesTheSameId() {
            assertEquals(SessionId.parse(CANONICAL), SessionId.parse(CANONICAL.toUpperCase()));
            assertEquals(CANONICAL, SessionId.parse(CANONICAL.toUpperCase()).toString());
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {
            "1-1-1-1-1",
            "{6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13}",
            " 6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13",
            "6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13 ",
            "6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13\n",
            "6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a1",
            "6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a134",
            "6f1d8a523c4b4e7a9d210b5c8e7f4a13",
            "6f1d8a52-3c4b-4e7a-9d210b5c8e7f4a13",
            "6f1d8a5-23c4b-4e7a-9d21-0b5c8e7f4a13",
            "6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a1g",
            "6f1d8a52_3c4b_4e7a_9d21_0b5c8e7f4a13",
            "urn:uuid:6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13",
            "+f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13",
            // Non-ASCII digits that Long.parseLong (inside UUID.fromString) would read as hex.
            "\u0666f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13",
            "\uff16f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13",
        })
        void anythingButCanonicalTextIsRefused(String text) {
            assertThrows(IllegalArgumentException.class, () -> SessionId.parse(text));
            assertThrows(IllegalArgumentException.class, () -> UserId.parse(text));
            assertThrows(IllegalArgumentException.class, () -> FactorId.parse(text));
            assertThrows(IllegalArgumentException.class, () -> OAuthClientId.parse(text));
        }

        @Test
        void theLooseFormsReallyAreAcceptedByTheJdk() {
            // Proof that the strict parser is needed: the JDK takes this and names an unrelated id.
            assertEquals(new UUID(0x0000000100010001L, 0x0001000000000001L), UUID.fromString("1-1-1-1-1"));
        }

        @Test
        void idsAreNeverNull() {
            assertThrows(NullPointerException.class, () -> new SessionId(null));
            assertThrows(NullPointerException.class, () -> new UserId(null));
            assertThrows(NullPointerException.class, () -> new FactorId(null));
            assertThrows(NullPointerException.class, () -> new OAuthClientId(null));
        }

        @Test
        void randomBytesBecomeAVersion4IetfVariantIdKeepingEveryOtherBit() {
            SplittableRandom random = Generators.random("version4");
            List<byte[]> inputs = new ArrayList<>(List.of(new byte[16], TokenBytes.repeat(0xFF, 16)));
            for (int i = 0; i < 2_000; i++) {
                inputs.add(Generators.bytes(random, 16));
            }
            for (byte[] input : inputs) {
                byte[] original = input.clone();
                UUID id = SessionId.fromRandomBytes(input).value();
                String context = Arrays.toString(original) + seedNote();

                assertEquals(4, id.version(), context);
                assertEquals(2, id.variant(), context);
                assertArrayEquals(original, input, "the caller's bytes are not changed: " + context);
                byte[] actual = TokenBytes.uuid(id);
                for (int b = 0; b < 16; b++) {
                    int keep = b == 6 ? 0x0F : b == 8 ? 0x3F : 0xFF;
                    assertEquals(original[b] & keep, actual[b] & keep, "byte " + b + ": " + context);
                }
                assertEquals(id, SessionId.parse(id.toString()).value(), "its text is canonical: " + context);
            }
        }

        @Test
        void fromRandomBytesNeedsExactlySixteenBytes() {
            assertThrows(IllegalArgumentException.class, () -> SessionId.fromRandomBytes(null));
            assertThrows(IllegalArgumentException.class, () -> SessionId.fromRandomBytes(new byte[15]));
            assertThrows(IllegalArgumentException.class, () -> SessionId.fromRandomBytes(new byte[17]));
        }

        @Test
        void bytesRoundTripBigEndianAtAnyOffset() {
            SplittableRandom random = Generators.random("uuidBytes");
            for (int i = 0; i < 2_000; i++) {
                UUID id = new UUID(random.nextLong(), random.nextLong());
                int offset = random.nextInt(0, 8);
                byte[] buffer = new byte[offset + 16 + 3];
                Uuids.toBytes(id, buffer, offset);
                assertArrayEquals(TokenBytes.uuid(id), Arrays.copyOfRange(buffer, offset, offset + 16), id + seedNote());
                assertEquals(id, Uuids.fromBytes(buffer, offset), id + seedNote());
            }
        }
    }

    @Nested
    class ScopesLength {
        @Test
        void fourThousandNinetySixCharactersAreAccepted() {
            assertEquals(4096, new Scopes("a".repeat(4096)).value().length());
            assertEquals("openid email", new Scopes("openid email").toString());
            assertEquals("", new Scopes("").value());
        }

        @Test
        void fourThousandNinetySevenCharactersAreRefused() {
            assertThrows(IllegalArgumentException.class, () -> new Scopes("a".repeat(4097)));
            assertThrows(IllegalArgumentException.class, () -> new Scopes("openid ".repeat(600)));
        }

        @Test
        void charactersAreCountedAsCodePoints() {
            String emoji = "\uD83D\uDE00";
            assertEquals(2, emoji.length());
            assertEquals(8192, new Scopes(emoji.repeat(4096)).value().length());
            assertThrows(IllegalArgumentException.class, () -> new Scopes(emoji.repeat(4097)));
            assertThrows(IllegalArgumentException.class, () -> new Scopes(emoji.repeat(4000) + "a".repeat(97)));
        }

        @Test
        void scopesAreNeverNull() {
            assertThrows(NullPointerException.class, () -> new Scopes(null));
        }
    }

    @Nested
    class Keys {
        @Test
        void base64UrlRoundTrips() {
            SplittableRandom random = Generators.random("keys");
            for (int i = 0; i < 1_000; i++) {
                byte[] bytes = Generators.bytes(random, random.nextInt(1, 65));
                HmacKey key = HmacKey.of(bytes);
                String text = key.toBase64Url();
                assertTrue(text.matches("[A-Za-z0-9_-]+"), text);
                assertEquals(key, HmacKey.fromBase64Url(text));
                assertArrayEquals(bytes, HmacKey.fromBase64Url(text).bytes());
            }
        }

        @Test
        void theStoredFormIsUnpaddedBase64Url() {
            byte[] bytes = new byte[32];
            Arrays.fill(bytes, (byte) 0xFB);
            HmacKey key = HmacKey.of(bytes);
            assertEquals("-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s", key.toBase64Url());
        }

        @Test
        void paddingAndTheStandardAlphabetAreToleratedWhenReading() {
            HmacKey key = HmacKey.of(TokenBytes.repeat(0xFB, 32));
            String standardPadded = java.util.Base64.getEncoder().encodeToString(key.bytes());
            assertTrue(standardPadded.endsWith("=") && standardPadded.contains("+"), standardPadded);
            assertEquals(key, HmacKey.fromBase64Url(standardPadded));
        }

        @Test
        void emptyOrMalformedKeysAreRefused() {
            assertThrows(IllegalArgumentException.class, () -> HmacKey.of(null));
            assertThrows(IllegalArgumentException.class, () -> HmacKey.of(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> HmacKey.fromBase64Url(null));
            assertThrows(IllegalArgumentException.class, () -> HmacKey.fromBase64Url(""));
            assertThrows(IllegalArgumentException.class, () -> HmacKey.fromBase64Url("=="));
            assertThrows(IllegalArgumentException.class, () -> HmacKey.fromBase64Url("not a key!"));
        }

        @Test
        void toStringNeverShowsTheKey() {
            HmacKey key = HmacKey.of(TokenBytes.repeat(0xFB, 32));
            assertEquals("HmacKey[redacted]", key.toString());
            assertFalse(key.toString().contains(key.toBase64Url()));
            Session session = SessionsForTests.session(key, 0);
            assertFalse(session.toString().contains(key.toBase64Url()), session.toString());
        }

        @Test
        void theKeyCannotBeChangedFromOutside() {
            byte[] bytes = TokenBytes.repeat(1, 32);
            HmacKey key = HmacKey.of(bytes);
            bytes[0] = 9;
            key.bytes()[1] = 9;
            assertArrayEquals(TokenBytes.repeat(1, 32), key.bytes());
        }

        @Test
        void keysAreEqualByValue() {
            assertEquals(HmacKey.of(TokenBytes.repeat(1, 32)), HmacKey.of(TokenBytes.repeat(1, 32)));
            assertEquals(HmacKey.of(TokenBytes.repeat(1, 32)).hashCode(), HmacKey.of(TokenBytes.repeat(1, 32)).hashCode());
            assertNotEquals(HmacKey.of(TokenBytes.repeat(1, 32)), HmacKey.of(TokenBytes.repeat(2, 32)));
            assertNotEquals(HmacKey.of(TokenBytes.repeat(1, 32)), HmacKey.of(TokenBytes.repeat(1, 31)));
        }
    }

    @Nested
    class Sessions {
        @Test
        void aNegativeCounterIsRefused() {
            HmacKey key = HmacKey.of(new byte[32]);
            assertThrows(IllegalArgumentException.class, () -> SessionsForTests.session(key, -1));
            assertThrows(IllegalArgumentException.class, () -> SessionsForTests.session(key, Long.MIN_VALUE));
            assertEquals(0, SessionsForTests.session(key, 0).refreshTokenCounter());
            assertEquals(Long.MAX_VALUE, SessionsForTests.session(key, Long.MAX_VALUE).refreshTokenCounter());
        }

        @Test
        void requiredColumnsAreRequired() {
            Session s = SessionsForTests.session(HmacKey.of(new byte[32]), 0);
            List<Function<Session, Session>> breakers = List.of(
                    x -> new Session(null, x.userId(), x.createdAt(), x.updatedAt(), null, x.aal(), null, null, null, null,
                            null, null, x.refreshTokenHmacKey(), 0, null),
                    x -> new Session(x.id(), null, x.createdAt(), x.updatedAt(), null, x.aal(), null, null, null, null,
                            null, null, x.refreshTokenHmacKey(), 0, null),
                    x -> new Session(x.id(), x.userId(), null, x.updatedAt(), null, x.aal(), null, null, null, null,
                            null, null, x.refreshTokenHmacKey(), 0, null),
                    x -> new Session(x.id(), x.userId(), x.createdAt(), null, null, x.aal(), null, null, null, null,
                            null, null, x.refreshTokenHmacKey(), 0, null),
                    x -> new Session(x.id(), x.userId(), x.createdAt(), x.updatedAt(), null, null, null, null, null, null,
                            null, null, x.refreshTokenHmacKey(), 0, null));
            for (Function<Session, Session> breaker : breakers) {
                assertThrows(NullPointerException.class, () -> breaker.apply(s));
            }
            // Without an HMAC key the session is a legacy (v1) one, which has no counter.
            assertThrows(IllegalArgumentException.class, () -> new Session(s.id(), s.userId(), s.createdAt(),
                    s.updatedAt(), null, s.aal(), null, null, null, null, null, null, null, 1, null));
        }

        @Test
        void lastRefreshedAtFallsBackToCreation() {
            Session never = SessionsForTests.session(HmacKey.of(new byte[32]), 0);
            assertEquals(never.createdAt(), never.lastRefreshedAt());
            Instant refreshed = never.createdAt().plusSeconds(90);
            Session once = new Session(never.id(), never.userId(), never.createdAt(), refreshed, null, Aal.AAL1, null,
                    refreshed, null, null, null, null, never.refreshTokenHmacKey(), 1, null);
            assertEquals(refreshed, once.lastRefreshedAt());
        }

        @Test
        void theCurrentRefreshTokenCarriesTheSessionsCounter() {
            HmacKey key = HmacKey.of(TokenBytes.repeat(3, 32));
            Session session = SessionsForTests.session(key, 300);
            assertEquals(RefreshToken.encode(session.id(), 300, key), session.currentRefreshToken());
            RefreshToken parsed = RefreshToken.parse(session.currentRefreshToken());
            assertEquals(session.id(), parsed.sessionId());
            assertEquals(300, parsed.counter());
            assertTrue(parsed.isSignedBy(key));
        }

        @Test
        void aSessionBelongsOnlyToItsUser() {
            Session session = SessionsForTests.session(HmacKey.of(new byte[32]), 0);
            assertTrue(session.belongsTo(new UserId(session.userId().value())));
            assertFalse(session.belongsTo(UserId.parse("00000000-0000-0000-0000-000000000001")));
        }
    }

    @Nested
    class Users {
        private final Instant now = Instant.parse("2026-03-01T12:00:00Z");

        private User user(Instant bannedUntil, boolean factor) {
            return new User(UserId.parse(CANONICAL), null, null, null, null, null, null, false, bannedUntil, now, now, factor);
        }

        @Test
        void missingTextAndMetadataBecomeEmpty() {
            User user = user(null, false);
            assertEquals("", user.aud());
            assertEquals("", user.role());
            assertTrue(user.appMetadata().isEmpty());
            assertTrue(user.userMetadata().isEmpty());
            assertThrows(NullPointerException.class,
                    () -> new User(null, "", "", null, null, null, null, false, null, now, now, false));
        }

        @Test
        void aUserIsBannedOnlyStrictlyBeforeBannedUntil() {
            assertFalse(user(null, false).isBannedAt(now));
            assertTrue(user(now.plusMillis(1), false).isBannedAt(now));
            assertFalse(user(now, false).isBannedAt(now));
            assertFalse(user(now.minusSeconds(1), false).isBannedAt(now));
        }

        @Test
        void aVerifiedFactorRaisesTheHighestPossibleLevel() {
            assertEquals(Aal.AAL1, user(null, false).highestPossibleAal());
            assertEquals(Aal.AAL2, user(null, true).highestPossibleAal());
        }
    }

    @Nested
    class AmrClaims {
        private final Instant t = Instant.parse("2026-03-01T12:00:00Z");

        @Test
        void newestFirstPutsTheLatestClaimFirst() {
            AmrClaim password = new AmrClaim(AuthenticationMethod.PASSWORD, t);
            AmrClaim totp = new AmrClaim(AuthenticationMethod.TOTP, t.plusSeconds(60));
            AmrClaim recovery = new AmrClaim(AuthenticationMethod.RECOVERY, t.minusSeconds(60));
            List<AmrClaim> input = List.of(password, totp, recovery);
            assertEquals(List.of(totp, password, recovery), AmrClaim.newestFirst(input));
            assertEquals(List.of(password, totp, recovery), input, "the input is not reordered");
        }

        @Test
        void claimsAtTheSameInstantAreOrderedByMethodName() {
            AmrClaim totp = new AmrClaim(AuthenticationMethod.TOTP, t);
            AmrClaim otp = new AmrClaim(AuthenticationMethod.OTP, t);
            AmrClaim mfaPhone = new AmrClaim(AuthenticationMethod.MFA_PHONE, t);
            List<AmrClaim> expected = List.of(mfaPhone, otp, totp);
            assertEquals(expected, AmrClaim.newestFirst(List.of(totp, otp, mfaPhone)));
            assertEquals(expected, AmrClaim.newestFirst(List.of(otp, mfaPhone, totp)));
        }

        @Test
        void noClaimsStayNoClaims() {
            assertEquals(List.of(), AmrClaim.newestFirst(List.of()));
        }

        @Test
        void aClaimNeedsAMethodAndATime() {
            assertThrows(NullPointerException.class, () -> new AmrClaim(null, t));
            assertThrows(NullPointerException.class, () -> new AmrClaim(AuthenticationMethod.OTP, null));
        }
    }

    @Nested
    class WireValues {
        @Test
        void theMethodsAreExactlyThoseOfTheSpecAndThreeAreSecondFactors() {
            List<String> values = Arrays.stream(AuthenticationMethod.values()).map(AuthenticationMethod::value).toList();
            assertEquals(List.of("password", "otp", "oauth", "totp", "mfa/phone", "mfa/webauthn", "sso/saml", "recovery",
                    "invite", "magiclink", "email/signup", "email_change", "anonymous", "web3", "passkey"), values);
            List<AuthenticationMethod> second = Arrays.stream(AuthenticationMethod.values())
                    .filter(AuthenticationMethod::isSecondFactor).toList();
            assertEquals(List.of(AuthenticationMethod.TOTP, AuthenticationMethod.MFA_PHONE, AuthenticationMethod.MFA_WEBAUTHN),
                    second);
            for (AuthenticationMethod method : AuthenticationMethod.values()) {
                assertEquals(Optional.of(method), AuthenticationMethod.fromValue(method.value()));
            }
            assertEquals(Optional.empty(), AuthenticationMethod.fromValue("PASSWORD"));
            assertEquals(Optional.empty(), AuthenticationMethod.fromValue(null));
        }

        @Test
        void aalLevelsAreOrdered() {
            assertEquals(List.of("aal1", "aal2", "aal3"), Arrays.stream(Aal.values()).map(Aal::value).toList());
            assertTrue(Aal.AAL1.isBelow(Aal.AAL2));
            assertTrue(Aal.AAL2.isBelow(Aal.AAL3));
            assertFalse(Aal.AAL2.isBelow(Aal.AAL2));
            assertFalse(Aal.AAL3.isBelow(Aal.AAL1));
            assertEquals(Optional.of(Aal.AAL2), Aal.fromValue("aal2"));
            assertEquals(Optional.empty(), Aal.fromValue("AAL2"));
        }

        @Test
        void oauthClientsHaveASecretExactlyWhenConfidential() {
            OAuthClientId id = OAuthClientId.parse(CANONICAL);
            Instant now = Instant.parse("2026-03-01T12:00:00Z");
            new OAuthClient(id, "web", OAuthClient.Type.CONFIDENTIAL, "aGFzaA", now, now);
            new OAuthClient(id, "spa", OAuthClient.Type.PUBLIC, null, now, now);
            assertThrows(IllegalArgumentException.class,
                    () -> new OAuthClient(id, "web", OAuthClient.Type.CONFIDENTIAL, null, now, now));
            assertThrows(IllegalArgumentException.class,
                    () -> new OAuthClient(id, "web", OAuthClient.Type.CONFIDENTIAL, "", now, now));
            assertThrows(IllegalArgumentException.class,
                    () -> new OAuthClient(id, "spa", OAuthClient.Type.PUBLIC, "aGFzaA", now, now));
            assertEquals(Optional.of(OAuthClient.Type.PUBLIC), OAuthClient.Type.fromValue("public"));
            assertEquals(Optional.of(OAuthClient.Type.CONFIDENTIAL), OAuthClient.Type.fromValue("confidential"));
            assertEquals(Optional.empty(), OAuthClient.Type.fromValue("Public"));
        }
    }
}
