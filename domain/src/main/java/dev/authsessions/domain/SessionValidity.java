package dev.authsessions.domain;

/** Whether a session may still be refreshed, and if not, why; messages are GoTrue's. */
public enum SessionValidity {
    VALID(null),
    PAST_NOT_AFTER("Invalid Refresh Token: Session Expired"),
    PAST_TIMEBOX("Invalid Refresh Token: Session Expired"),
    INACTIVE("Invalid Refresh Token: Session Expired (Inactivity)"),
    LOW_AAL("Invalid Refresh Token: Session Expired (Low AAL: User Needs MFA Verification)");

    private final String message;

    SessionValidity(String message) {
        this.message = message;
    }

    public boolean isValid() {
        return this == VALID;
    }

    public String message() {
        return message;
    }
}
