package dev.authsessions.application.port.in;

import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;

/** Checks a Bearer access token: signature, expiry, and that its session and user still exist. */
public interface AuthenticateUseCase {

    /**
     * @throws Rejection {@code bad_jwt}, {@code session_not_found}, {@code user_not_found} or
     *                   {@code user_banned}, all as forbidden
     */
    Caller authenticate(String accessToken);

    /** Who is calling: the user and the session the access token belongs to. */
    record Caller(User user, Session session) {
    }
}
