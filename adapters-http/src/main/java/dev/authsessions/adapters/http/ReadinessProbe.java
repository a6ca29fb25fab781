package dev.authsessions.adapters.http;

/** Whether the service can do its work now (its database answers); behind {@code GET /ready}. Must not throw. */
@FunctionalInterface
public interface ReadinessProbe {
    boolean isReady();
}
