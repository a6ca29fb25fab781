package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Checks the admin Bearer key. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, against every configured key, so timing reveals neither a key's
 * length nor how much of it matched, nor which key it was.
 */
final class AdminKeys {
    private final List<byte[]> digests;

    AdminKeys(List<String> keys) {
        this.digests = keys.stream().map(AdminKeys::sha256).toList();
    }

    /** The handler behind the admin key check: without a valid key it is never reached. */
    Handler guard(Handler handler) {
        return ctx -> {
            require(ctx);
            handler.handle(ctx);
        };
    }

    void require(Context ctx) {
        Optional<String> presented = BearerToken.of(ctx);
        if (presented.isEmpty()) {
            throw refused("This endpoint requires a valid Bearer token");
        }
        byte[] digest = sha256(presented.get());
        boolean matched = false;
        for (byte[] key : digests) {
            matched |= MessageDigest.isEqual(digest, key);
        }
        if (!matched) {
            throw refused("Invalid admin key");
        }
    }

    private static Rejection refused(String message) {
        return new Rejection(Rejection.Kind.UNAUTHORIZED, ErrorCode.NO_AUTHORIZATION, message);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
