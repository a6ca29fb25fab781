package dev.authsessions.adapters.http;

import java.net.InetAddress;
import java.util.Arrays;

/** An IPv4 or IPv6 address range such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a range of one. */
record CidrRange(byte[] network, int prefixLength) {

    static CidrRange parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a trusted proxy range must not be empty");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = IpLiteral.parse(address)
                .map(InetAddress::getAddress)
                .orElseThrow(() -> new IllegalArgumentException("trusted proxy range \"" + text + "\" is not an IP address or CIDR range"));
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String length = trimmed.substring(slash + 1);
            if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bytes.length * 8) {
                throw new IllegalArgumentException("trusted proxy range \"" + text + "\" has an invalid prefix length");
            }
            prefix = Integer.parseInt(length);
        }
        return new CidrRange(bytes, prefix);
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CidrRange range && range.prefixLength == prefixLength && Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            return "invalid range";
        }
    }
}
