package dev.authsessions.adapters.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The end user's IP: the peer address, or the first {@code X-Forwarded-For} entry when the peer is
 * one of the trusted proxies (and that entry is an IP literal).
 */
final class ClientAddress {
    private final List<CidrRange> trustedProxies;

    ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(CidrRange::parse).toList();
    }

    String of(Context ctx) {
        String peer = withoutBrackets(ctx.req().getRemoteAddr());
        if (trustedProxies.isEmpty()) {
            return peer;
        }
        Optional<InetAddress> peerAddress = IpLiteral.parse(peer);
        if (peerAddress.isEmpty() || trustedProxies.stream().noneMatch(range -> range.contains(peerAddress.get()))) {
            return peer;
        }
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null) {
            return peer;
        }
        String first = forwarded.split(",", -1)[0].trim();
        return IpLiteral.parse(first).isPresent() ? first : peer;
    }

    private static String withoutBrackets(String address) {
        if (address != null && address.length() > 1 && address.startsWith("[") && address.endsWith("]")) {
            return address.substring(1, address.length() - 1);
        }
        return address;
    }
}
