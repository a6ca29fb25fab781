package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkAddressesTest {

    private static InetAddress ip(String text) {
        return IpLiteral.parse(text).orElseThrow(() -> new AssertionError(text + " should parse"));
    }

    @Test
    void literalsParseWithoutResolvingNames() {
        assertEquals("192.0.2.1", ip("192.0.2.1").getHostAddress());
        assertEquals("0.0.0.0", ip("0.0.0.0").getHostAddress());
        assertEquals(16, ip("2001:db8::1").getAddress().length);
        assertEquals(16, ip("::1").getAddress().length);
        assertEquals("10.1.2.3", ip("::ffff:10.1.2.3").getHostAddress(), "IPv4-mapped addresses read as IPv4");
        for (String bad : List.of("", "localhost", "example.com", "256.0.0.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "fe80::1%eth0",
                "[::1]", "2001:db8::g", ":::", "abc", "deadbeef", ".1:2", "1.2.3.4/32", " 1.2.3.4")) {
            assertTrue(IpLiteral.parse(bad).isEmpty(), bad);
        }
        assertTrue(IpLiteral.parse(null).isEmpty());
    }

    @Test
    void ipv4RangesMatchByPrefix() {
        CidrRange range = CidrRange.parse("10.0.0.0/8");
        assertTrue(range.contains(ip("10.255.1.2")));
        assertFalse(range.contains(ip("11.0.0.1")));
        CidrRange odd = CidrRange.parse("192.168.4.0/22");
        assertTrue(odd.contains(ip("192.168.7.255")));
        assertFalse(odd.contains(ip("192.168.8.0")));
        assertTrue(CidrRange.parse("0.0.0.0/0").contains(ip("203.0.113.5")));
        CidrRange single = CidrRange.parse("127.0.0.1");
        assertTrue(single.contains(ip("127.0.0.1")));
        assertFalse(single.contains(ip("127.0.0.2")));
        assertFalse(range.contains(ip("::ffff:11.0.0.1")));
        assertTrue(range.contains(ip("::ffff:10.0.0.1")));
    }

    @Test
    void ipv6RangesMatchByPrefixAndNeverMatchIpv4() {
        CidrRange range = CidrRange.parse("fd00::/8");
        assertTrue(range.contains(ip("fd12:3456::1")));
        assertFalse(range.contains(ip("fe80::1")));
        assertFalse(range.contains(ip("10.0.0.1")));
        CidrRange loopback = CidrRange.parse("::1/128");
        assertTrue(loopback.contains(ip("::1")));
        assertFalse(loopback.contains(ip("::2")));
        assertTrue(CidrRange.parse("2001:db8::/33").contains(ip("2001:db8:7fff::1")));
        assertFalse(CidrRange.parse("2001:db8::/33").contains(ip("2001:db8:8000::1")));
    }

    @Test
    void badRangesAreRefusedAtConfiguration() {
        for (String bad : List.of("10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "proxy.internal", "10.0.0.0/8/8", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new HttpSettings("127.0.0.1", 0, List.of("k"), List.of(bad), 1024), bad);
            assertTrue(e.getMessage().contains("trusted proxy"), e.getMessage());
        }
    }

    @Test
    void settingsRefuseNonsenseAndNeverPrintKeys() {
        assertThrows(IllegalArgumentException.class, () -> new HttpSettings("127.0.0.1", 70_000, List.of("k"), List.of(), 1024));
        assertThrows(IllegalArgumentException.class, () -> new HttpSettings("127.0.0.1", 0, List.of(" "), List.of(), 1024));
        assertThrows(IllegalArgumentException.class, () -> new HttpSettings("127.0.0.1", 0, List.of("k"), List.of(), 0));
        assertFalse(new HttpSettings("127.0.0.1", 0, List.of("super-secret-admin-key"), List.of(), 1024).toString()
                .contains("super-secret-admin-key"));
    }
}
