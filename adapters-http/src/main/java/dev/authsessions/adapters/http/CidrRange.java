package dev.authsessions.adapters.http;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a range of one.
 * Public so that the configuration check reads {@code AUTH_SESSIONS_TRUSTED_PROXIES} with this very parser: a value
 * is either taken by both or refused before the start.
 */
public record CidrRange(byte[] network, int prefixLength) {
    private static final int MAX_SHOWN = 64;

    /**
     * Reads one range: an address literal as {@link IpLiteral} reads it (dotted quad of four decimal parts, or
     * IPv6 without a zone), optionally {@code /} and a prefix length of 1-3 digits within the address's bits.
     *
     * @throws IllegalArgumentException in one line that shows the value (never a secret) and what is wrong
     */
    public static CidrRange parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a trusted proxy range must not be empty");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = IpLiteral.parse(address)
                .map(InetAddress::getAddress)
                .orElseThrow(() -> new IllegalArgumentException(shown(text) + " is not an IP address or a CIDR range like 10.0.0.0/8"));
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String length = trimmed.substring(slash + 1);
            if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bytes.length * 8) {
                throw new IllegalArgumentException(shown(text) + " has a bad prefix length (0-" + bytes.length * 8
                        + " for this address)");
            }
            prefix = Integer.parseInt(length);
        }
        return new CidrRange(bytes, prefix);
    }

    /** The value, quoted with anything but printable ASCII replaced, so that a message stays one line. */
    private static String shown(String text) {
        String cut = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
        return "trusted proxy range '" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
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
