package dev.authsessions.domain;

import java.util.Optional;

/**
 * The kind of an MFA factor, the {@code factor_type} of {@code auth.mfa_factors}, and the AMR
 * method a session proven with it carries.
 */
public enum FactorType {
    TOTP("totp", AuthenticationMethod.TOTP),
    PHONE("phone", AuthenticationMethod.MFA_PHONE),
    WEBAUTHN("webauthn", AuthenticationMethod.MFA_WEBAUTHN);

    private final String value;
    private final AuthenticationMethod method;

    FactorType(String value, AuthenticationMethod method) {
        this.value = value;
        this.method = method;
    }

    public String value() {
        return value;
    }

    /** The AMR method of a step-up with a factor of this type. */
    public AuthenticationMethod method() {
        return method;
    }

    public static Optional<FactorType> fromValue(String value) {
        for (FactorType type : values()) {
            if (type.value.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The factor type a second-factor method proves; empty for a first-factor method. */
    public static Optional<FactorType> ofMethod(AuthenticationMethod method) {
        for (FactorType type : values()) {
            if (type.method == method) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
