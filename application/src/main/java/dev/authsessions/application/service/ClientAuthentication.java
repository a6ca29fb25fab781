package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Checks the OAuth client credentials a refresh carries against the session's client: none for a
 * plain session; the client's id (and, for a confidential client, its secret, compared by SHA-256
 * hash in constant time) for an OAuth session.
 */
public final class ClientAuthentication {
    private final OAuthClientRepository clients;

    public ClientAuthentication(OAuthClientRepository clients) {
        this.clients = clients;
    }

    public void check(Session session, OAuthClientId presentedId, String presentedSecret) {
        if (session.oauthClientId() == null) {
            if (presentedId != null) {
                throw invalidClient("Client authentication not allowed for non-OAuth session");
            }
            return;
        }
        if (presentedId == null) {
            throw invalidClient("Client authentication required for OAuth session");
        }
        if (!presentedId.equals(session.oauthClientId())) {
            throw invalidClient("Client does not match the session's OAuth client");
        }
        OAuthClient client = clients.findById(presentedId)
                .orElseThrow(() -> invalidClient("Invalid client credentials"));
        if (client.type() == OAuthClient.Type.CONFIDENTIAL && (presentedSecret == null
                || !MessageDigest.isEqual(hashOf(presentedSecret).getBytes(StandardCharsets.US_ASCII),
                        client.secretHash().getBytes(StandardCharsets.US_ASCII)))) {
            throw invalidClient("Invalid client credentials");
        }
    }

    /** base64url (no padding) of SHA-256 of the secret: how {@code client_secret_hash} is stored. */
    public static String hashOf(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Rejection invalidClient(String message) {
        return Rejection.badRequest(ErrorCode.INVALID_CLIENT, message);
    }
}
