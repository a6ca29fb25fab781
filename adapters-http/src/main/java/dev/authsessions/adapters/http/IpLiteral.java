package dev.authsessions.adapters.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an IPv4 or IPv6 address written as a literal, never asking DNS: {@link InetAddress#getByName}
 * alone would resolve anything that is not a literal.
 */
final class IpLiteral {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
    // Only hex digits, colons and dots (for an embedded IPv4 tail), starting like a literal: no zone ids, no names.
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
    private static final int MAX_LENGTH = 45;

    private IpLiteral() {
    }

    static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            if (text.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(text).matches()) {
                // With a colon and these characters only, the JDK parses the literal and never resolves it.
                return Optional.of(InetAddress.getByName(text));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
