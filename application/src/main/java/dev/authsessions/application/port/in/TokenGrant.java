package dev.authsessions.application.port.in;

import dev.authsessions.domain.ReuseCause;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.time.Instant;
import java.util.List;

/**
 * A token pair handed out by starting, refreshing or stepping up a session, with what the
 * {@code sb-auth-*} headers report. {@code reuseCauses} is empty for a real rotation. {@code legacy}
 * when {@code refreshToken} is a v1 token (GoTrue reports those with other headers).
 */
public record TokenGrant(
        String accessToken,
        Instant expiresAt,
        long expiresInSeconds,
        String refreshToken,
        User user,
        Session session,
        boolean reused,
        List<ReuseCause> reuseCauses,
        boolean legacy) {

    public TokenGrant {
        reuseCauses = List.copyOf(reuseCauses);
    }

    /** A grant with a v2 refresh token. */
    public TokenGrant(String accessToken, Instant expiresAt, long expiresInSeconds, String refreshToken, User user,
            Session session, boolean reused, List<ReuseCause> reuseCauses) {
        this(accessToken, expiresAt, expiresInSeconds, refreshToken, user, session, reused, reuseCauses, false);
    }

    @Override
    public String toString() {
        return "TokenGrant[session=" + session.id() + ", user=" + user.id() + ", reused=" + reused + "]";
    }
}
