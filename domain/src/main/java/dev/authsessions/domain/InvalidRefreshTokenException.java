package dev.authsessions.domain;

/** A refresh token string that is not a well-formed v2 token; says which check failed, never the token. */
public final class InvalidRefreshTokenException extends RuntimeException {
    /** The parse checks of SPEC §2, in the order they run. */
    public enum Check { BASE64URL, LENGTH, VERSION, CHECKSUM, VARINT, SIGNATURE_LENGTH }

    private final Check failedCheck;

    public InvalidRefreshTokenException(Check failedCheck) {
        super("Refresh token is not valid (" + failedCheck + ")", null, false, false);
        this.failedCheck = failedCheck;
    }

    public Check failedCheck() {
        return failedCheck;
    }
}
