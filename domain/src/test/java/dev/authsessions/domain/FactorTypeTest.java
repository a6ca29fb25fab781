package dev.authsessions.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FactorTypeTest {

    @Test
    void eachFactorTypeProvesItsSecondFactorMethod() {
        assertEquals(AuthenticationMethod.TOTP, FactorType.TOTP.method());
        assertEquals(AuthenticationMethod.MFA_PHONE, FactorType.PHONE.method());
        assertEquals(AuthenticationMethod.MFA_WEBAUTHN, FactorType.WEBAUTHN.method());
        for (FactorType type : FactorType.values()) {
            assertTrue(type.method().isSecondFactor());
            assertEquals(Optional.of(type), FactorType.ofMethod(type.method()));
            assertEquals(Optional.of(type), FactorType.fromValue(type.value()));
        }
    }

    @Test
    void theWireValuesAreGoTruesFactorTypes() {
        assertEquals("totp", FactorType.TOTP.value());
        assertEquals("phone", FactorType.PHONE.value());
        assertEquals("webauthn", FactorType.WEBAUTHN.value());
        assertEquals(Optional.empty(), FactorType.fromValue("mfa/phone"));
        assertEquals(Optional.empty(), FactorType.fromValue(null));
    }

    @Test
    void onlySecondFactorMethodsHaveAFactorType() {
        for (AuthenticationMethod method : AuthenticationMethod.values()) {
            assertEquals(method.isSecondFactor(), FactorType.ofMethod(method).isPresent(), method.value());
        }
    }
}
