package dev.authsessions.adapters.http;

import java.util.List;
import java.util.Objects;

/**
 * Where the HTTP server listens and what it trusts: the admin keys, the proxies whose
 * {@code X-Forwarded-For} is believed (CIDR ranges, IPv4 or IPv6), the largest request body, and which
 * browser pages may call it ({@link CorsSettings}). Port 0 picks a free port.
 */
public record HttpSettings(String host, int port, List<String> adminKeys, List<String> trustedProxies, int maxBodyBytes,
                           CorsSettings cors) {

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(cors, "cors");
        adminKeys = List.copyOf(adminKeys);
        trustedProxies = List.copyOf(trustedProxies);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("the largest request body must be at least 1 byte");
        }
        for (String key : adminKeys) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("an admin key must not be blank");
            }
        }
        for (String range : trustedProxies) {
            CidrRange.parse(range);
        }
    }

    /** With GoTrue's CORS: every origin, no admin routes. */
    public HttpSettings(String host, int port, List<String> adminKeys, List<String> trustedProxies, int maxBodyBytes) {
        this(host, port, adminKeys, trustedProxies, maxBodyBytes, CorsSettings.defaults());
    }

    @Override
    public String toString() {
        return "HttpSettings[host=" + host + ", port=" + port + ", adminKeys=" + adminKeys.size() + " configured, trustedProxies="
                + trustedProxies + ", maxBodyBytes=" + maxBodyBytes + ", cors=" + cors + "]";
    }
}
