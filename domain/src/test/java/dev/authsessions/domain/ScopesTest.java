package dev.authsessions.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScopesTest {

    @Test
    void scopesOfUpToTheLimitInCharactersAreAccepted() {
        assertEquals("openid email", Scopes.parse("openid email").value());
        assertEquals(4096, Scopes.parse("s".repeat(4096)).value().length());
        String emoji = "\uD83D\uDE00".repeat(4096);
        assertEquals(emoji, Scopes.parse(emoji).value(), "4096 code points, 8192 UTF-16 units");
    }

    @Test
    void anAbsentFieldHasNoScopes() {
        assertNull(Scopes.parse(null));
    }

    @Test
    void scopesOverTheLimitAreADomainErrorNamingTheLimit() {
        InvalidScopesException e = assertThrows(InvalidScopesException.class, () -> Scopes.parse("s".repeat(4097)));
        assertEquals("scopes must be at most 4096 characters", e.getMessage());
        assertThrows(InvalidScopesException.class, () -> new Scopes("\uD83D\uDE00".repeat(4097)));
    }

    @Test
    void aNulCharacterCannotBeStoredAndIsRefused() {
        assertThrows(InvalidScopesException.class, () -> Scopes.parse("openid\u0000email"));
    }

    @Test
    void theDomainErrorIsStillAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Scopes.parse("s".repeat(5000)));
    }
}
