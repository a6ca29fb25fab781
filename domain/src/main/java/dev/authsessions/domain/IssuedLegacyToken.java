package dev.authsessions.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code auth.refresh_tokens}: a v1 token GoTrue (or this service) issued. {@code token} and
 * {@code parent} are kept as stored (rows of older GoTrue versions may hold other formats); {@code parent}
 * is null for a session's first token. {@code updatedAt} is when the row last changed, for a revoked token
 * when it was revoked; the reuse interval counts from it.
 */
public record IssuedLegacyToken(long id, String token, boolean revoked, Instant updatedAt, String parent) {

    public IssuedLegacyToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(updatedAt, "updated at");
    }

    public boolean isParentOf(IssuedLegacyToken child) {
        return token.equals(child.parent());
    }

    @Override
    public String toString() {
        return "IssuedLegacyToken[id=" + id + ", revoked=" + revoked + "]";
    }
}
