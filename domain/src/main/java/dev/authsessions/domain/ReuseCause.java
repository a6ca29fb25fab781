package dev.authsessions.domain;

/** Why an old refresh token was answered with the current one; the values of {@code sb-auth-refresh-token-reuse-cause}. */
public enum ReuseCause {
    CONCURRENT_REFRESH("concurrent-refresh"),
    FAIL_TO_SAVE("fail-to-save"),
    ALWAYS_ALLOW("always-allow");

    private final String value;

    ReuseCause(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
