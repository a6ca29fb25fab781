package dev.authsessions.domain;

/** What to do with a presented v1 refresh token, decided by {@link RefreshTokenRules#decideLegacy}. */
public sealed interface LegacyRefreshDecision {

    /** Revoke the presented token and issue its child (or, when the session is upgraded, a v2 token). */
    record Swap() implements LegacyRefreshDecision {
    }

    /** The token was revoked by the refresh that issued the active token: answer with that token again. */
    record ReturnActive(IssuedLegacyToken active) implements LegacyRefreshDecision {
    }

    /**
     * The token was revoked by the refresh that moved the session to v2, moments ago: answer with the
     * session's current v2 token without raising its counter.
     */
    record ReturnCurrentV2() implements LegacyRefreshDecision {
    }

    /** Refused reuse; with {@code revokeFamily} every token of the session is revoked. */
    record Rejected(boolean revokeFamily) implements LegacyRefreshDecision {
    }
}
