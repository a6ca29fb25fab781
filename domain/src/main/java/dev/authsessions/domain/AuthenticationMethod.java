package dev.authsessions.domain;

import java.util.Optional;

/** How a user proved who they are; the {@code authentication_method} of an AMR claim. */
public enum AuthenticationMethod {
    PASSWORD("password", false),
    OTP("otp", false),
    OAUTH("oauth", false),
    TOTP("totp", true),
    MFA_PHONE("mfa/phone", true),
    MFA_WEBAUTHN("mfa/webauthn", true),
    SSO_SAML("sso/saml", false),
    RECOVERY("recovery", false),
    INVITE("invite", false),
    MAGICLINK("magiclink", false),
    EMAIL_SIGNUP("email/signup", false),
    EMAIL_CHANGE("email_change", false),
    ANONYMOUS("anonymous", false),
    WEB3("web3", false),
    PASSKEY("passkey", false);

    private final String value;
    private final boolean secondFactor;

    AuthenticationMethod(String value, boolean secondFactor) {
        this.value = value;
        this.secondFactor = secondFactor;
    }

    public String value() {
        return value;
    }

    public boolean isSecondFactor() {
        return secondFactor;
    }

    public static Optional<AuthenticationMethod> fromValue(String value) {
        for (AuthenticationMethod method : values()) {
            if (method.value.equals(value)) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
