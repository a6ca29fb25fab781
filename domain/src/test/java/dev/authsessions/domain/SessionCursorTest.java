package dev.authsessions.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionCursorTest {
    private static final SessionCursor CURSOR = new SessionCursor(
            Instant.parse("2026-03-01T10:15:30.123456Z"), SessionId.parse("ffffffff-0000-4000-8000-000000000001"));

    @Test
    void decodesWhatItEncodes() {
        String text = CURSOR.encode();

        assertEquals(39, text.length());
        assertTrue(text.matches("[A-Za-z0-9_-]+"), text);
        assertEquals(Optional.of(CURSOR), SessionCursor.decode(text));
    }

    @Test
    void roundTripsSeededRandomPositionsIncludingBeforeTheEpoch() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            long micros = random.nextLong() % 100_000_000_000_000_000L;
            SessionCursor cursor = new SessionCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
                    new SessionId(new UUID(random.nextLong(), random.nextLong())));
            assertEquals(Optional.of(cursor), SessionCursor.decode(cursor.encode()));
        }
    }

    @Test
    void theSamePositionAlwaysEncodesTheSameAndAnotherDifferently() {
        SessionCursor later = new SessionCursor(CURSOR.createdAt().plusNanos(1_000), CURSOR.id());

        assertEquals(CURSOR.encode(), new SessionCursor(CURSOR.createdAt(), CURSOR.id()).encode());
        assertNotEquals(CURSOR.encode(), later.encode());
    }

    @Test
    void everySingleCharacterEditIsRefused() {
        String text = CURSOR.encode();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < text.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c != text.charAt(i)) {
                    String edited = text.substring(0, i) + c + text.substring(i + 1);
                    assertEquals(Optional.empty(), SessionCursor.decode(edited), edited);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "not a cursor at all, not even base64!!!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "////////////////////////////////////////", "=======================================",
            "+++++++++++++++++++++++++++++++++++++++"})
    void garbageIsRefused(String text) {
        assertEquals(Optional.empty(), SessionCursor.decode(text));
    }

    @Test
    void nullIsRefused() {
        assertEquals(Optional.empty(), SessionCursor.decode(null));
    }

    @Test
    void anotherVersionIsRefusedEvenWithAValidChecksum() throws Exception {
        byte[] bytes = Base64.getUrlDecoder().decode(CURSOR.encode());
        bytes[0] = 2;
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(bytes, 25));
        System.arraycopy(digest, 0, bytes, 25, 4);

        assertEquals(Optional.empty(), SessionCursor.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
    }

    @Test
    void aTimeBelowTheDatabasePrecisionIsNotAPosition() {
        assertThrows(IllegalArgumentException.class,
                () -> new SessionCursor(Instant.parse("2026-03-01T10:15:30.1234567Z"), CURSOR.id()));
    }

    @Test
    void theCursorAfterASessionIsItsCreationAndId() {
        Session session = SessionsForTests.session(HmacKey.of(new byte[32]), 0);

        assertEquals(new SessionCursor(session.createdAt(), session.id()), SessionCursor.after(session));
    }
}
