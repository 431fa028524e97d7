package chatapp.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses the server may connect to on a user's or a file's word: push endpoints
 * (docs/security.md, "Push endpoints"; decision 53) and the prototype's media URLs of
 * {@code ./chatapp import-prototype}. A URL whose host is, or resolves to, an address that is not
 * an ordinary public one would make the server send requests inside its own network or to
 * addresses with a special meaning (server-side request forgery). Refused: every block of the
 * IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890) in the tables below, whole,
 * and any IPv6 address outside global unicast 2000::/3 (RFC 4291 section 2.4).
 */
public final class PublicAddresses {

    /** A block of addresses, {@code bits} long, with the document that reserves it. */
    private record Block(byte[] prefix, int bits, String source) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Block block(String cidr, String source) {
        int slash = cidr.indexOf('/');
        try {
            // Literals only: getByName never asks DNS for them. An IPv4-mapped literal would come
            // back as IPv4, so that block is spelled out in bytes below.
            byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)), source);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(cidr, e);
        }
    }

    /** IANA IPv4 Special-Purpose Address Registry (RFC 6890), plus multicast and the reserved class E. */
    private static final List<Block> IPV4 = List.of(
            block("0.0.0.0/8", "RFC 791: this network"),
            block("10.0.0.0/8", "RFC 1918: private"),
            block("100.64.0.0/10", "RFC 6598: shared address space (CGNAT)"),
            block("127.0.0.0/8", "RFC 1122: loopback"),
            block("169.254.0.0/16", "RFC 3927: link-local (cloud metadata 169.254.169.254)"),
            block("172.16.0.0/12", "RFC 1918: private"),
            block("192.0.0.0/24", "RFC 6890: IETF protocol assignments"),
            block("192.0.2.0/24", "RFC 5737: documentation (TEST-NET-1)"),
            block("192.88.99.0/24", "RFC 7526: deprecated 6to4 relay anycast"),
            block("192.168.0.0/16", "RFC 1918: private"),
            block("198.18.0.0/15", "RFC 2544: benchmarking"),
            block("198.51.100.0/24", "RFC 5737: documentation (TEST-NET-2)"),
            block("203.0.113.0/24", "RFC 5737: documentation (TEST-NET-3)"),
            block("224.0.0.0/4", "RFC 5771: multicast"),
            block("240.0.0.0/4", "RFC 1112: reserved (with 255.255.255.255, RFC 919: limited broadcast)"));

    private static final byte[] MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0};

    /** IANA IPv6 Special-Purpose Address Registry (RFC 6890) and the other non-unicast blocks. */
    private static final List<Block> IPV6 = List.of(
            block("::/96", "RFC 4291: unspecified ::, loopback ::1, deprecated IPv4-compatible ::a.b.c.d"),
            new Block(MAPPED, 96, "RFC 4291: IPv4-mapped"),
            block("64:ff9b::/96", "RFC 6052: IPv4/IPv6 translation (NAT64)"),
            block("64:ff9b:1::/48", "RFC 8215: local-use IPv4/IPv6 translation"),
            block("100::/64", "RFC 6666: discard-only"),
            block("2001::/23", "RFC 2928: IETF protocol assignments (with Teredo 2001::/32, RFC 4380)"),
            block("2001:db8::/32", "RFC 3849: documentation"),
            block("2002::/16", "RFC 3056: 6to4 (its embedded IPv4 address is another network's, RFC 7526)"),
            block("3fff::/20", "RFC 9637: documentation"),
            block("5f00::/16", "RFC 9602: segment routing (SRv6) SIDs"),
            block("fc00::/7", "RFC 4193: unique local"),
            block("fe80::/10", "RFC 4291: link-local"),
            block("fec0::/10", "RFC 3879: deprecated site-local"),
            block("ff00::/8", "RFC 4291: multicast"));

    private static final Block GLOBAL_UNICAST = block("2000::/3", "RFC 4291 section 2.4: global unicast");

    private PublicAddresses() {
    }

    /**
     * The addresses {@code host} resolves to, if every one is public ({@link #isPublic}); an
     * empty list when one is not, when the host does not resolve (a push service's host always
     * does), or when it is a number that is not a plain dotted quad. Resolves once, through the
     * system's resolver; the caller connects to one of the addresses returned, never to the
     * name again, so a DNS answer that changes afterwards (rebinding) is never used.
     */
    public static List<InetAddress> of(String host, Resolver resolver) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.matches("(?i)[0-9.x]+|0x[0-9a-f.x]*") && !h.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")) {
            // A number that is not a plain dotted quad (2130706433, 0177.0.0.1, 0x7f.1): readers
            // disagree on what it means (octal, hex, one 32-bit number), so none is trusted.
            return List.of();
        }
        if (h.contains(":")) {
            // An IPv6 literal. The JDK reads an IPv4-mapped one (::ffff:a.b.c.d) as the IPv4
            // address, so its block would go unseen: judge the literal's own bytes.
            byte[] literal = ipv6Literal(h);
            if (literal == null || IPV6.stream().anyMatch(block -> block.contains(literal))) {
                return List.of();
            }
        }
        try {
            List<InetAddress> addresses = List.of(resolver.resolve(h));
            if (addresses.isEmpty() || !addresses.stream().allMatch(PublicAddresses::isPublic)) {
                return List.of();
            }
            return addresses;
        } catch (UnknownHostException | SecurityException e) {
            return List.of();
        }
    }

    /** The 16 bytes of an IPv6 literal (a zone after {@code %} ignored), or null if it is not one. */
    private static byte[] ipv6Literal(String literal) {
        String text = literal.contains("%") ? literal.substring(0, literal.indexOf('%')) : literal;
        if (!text.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(text).getAddress();
            if (b.length == 16) {
                return b;
            }
            // Read as IPv4: a mapped literal (::ffff:a.b.c.d); give it back as such.
            byte[] mapped = MAPPED.clone();
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Whether {@code a} is an ordinary public address: outside every block of the tables in this
     * class's source (each with the RFC that reserves it) and, for IPv6, inside 2000::/3.
     */
    public static boolean isPublic(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return IPV4.stream().noneMatch(block -> block.contains(b));
        }
        return GLOBAL_UNICAST.contains(b) && IPV6.stream().noneMatch(block -> block.contains(b));
    }

    /**
     * Turns a host name into addresses: {@link #SYSTEM} in production; tests give one whose
     * answers change, as a rebinding DNS server's do.
     */
    @FunctionalInterface
    public interface Resolver {
        /** The JDK's resolver (which caches answers, {@code networkaddress.cache.ttl}). */
        Resolver SYSTEM = InetAddress::getAllByName;

        InetAddress[] resolve(String host) throws UnknownHostException;
    }
}
