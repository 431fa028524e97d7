package chatapp.notification;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which hosts a push endpoint may name (docs/security.md, "Push endpoints"): the server connects
 * to whatever endpoint a signed-in user gave, so an endpoint whose host is, or resolves to, an
 * address inside the server's own network would let a user make the server send requests there
 * (server-side request forgery). Refused: loopback, link-local (with the cloud metadata address
 * 169.254.169.254), private (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10), unspecified and
 * "this network" (0/8, ::), multicast, broadcast and shared CGNAT (100.64/10) addresses.
 */
final class PushEndpoints {

    private PushEndpoints() {
    }

    /**
     * Whether every address {@code host} resolves to is public; false also when it does not
     * resolve (a push service's host always does). Resolves through the system's resolver.
     */
    static boolean isPublicHost(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.matches("(?i)[0-9.x]+|0x[0-9a-f.x]*") && !h.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")) {
            // A number that is not a plain dotted quad (2130706433, 0177.0.0.1, 0x7f.1): readers
            // disagree on what it means (octal, hex, one 32-bit number), so none is trusted.
            return false;
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(h);
            if (addresses.length == 0) {
                return false;
            }
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** Whether {@code a} is outside every range the class comment lists. */
    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // "this network"
                    && !(first == 100 && (second & 0xc0) == 64) // 100.64/10, shared address space (CGNAT)
                    && !(first == 255 && second == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255);
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) { // fc00::/7, unique local
                return false;
            }
            // ::a.b.c.d (IPv4-compatible) and 64:ff9b::a.b.c.d (NAT64) carry an IPv4 address: judge that one.
            boolean compatible = true;
            for (int i = 0; i < 12; i++) {
                compatible &= b[i] == 0;
            }
            boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            for (int i = 4; nat64 && i < 12; i++) {
                nat64 = b[i] == 0;
            }
            if (compatible || nat64) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
