package chatapp.server.security;

import chatapp.server.ChatAppProperties;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code Host} headers name this server (docs/decisions/0022-own-host.md). The
 * default "own origin" of the WebSocket Origin check, the ticket's {@code url} and the web
 * page's CSP are derived from the request's Host; a DNS-rebinding page (its own name resolving
 * to this machine) sends its own name as Host, so a Host is trusted only when it is an IP
 * literal, {@code localhost}, this machine's host name (also as {@code name.local}), or the host of a configured origin
 * ({@code CHATAPP_ALLOWED_ORIGINS}). A page can only produce an IP-literal Host by being served
 * from that address, which is this server.
 */
public final class OwnHost {

    /** host[:port] with a name or IPv4 address, or [IPv6][:port]. */
    private static final Pattern HOST = Pattern.compile(
            "(?<name>[A-Za-z0-9.\\-]+)(:[0-9]{1,5})?|\\[(?<v6>[0-9A-Fa-f:.]+)\\](:[0-9]{1,5})?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final Set<String> names;

    OwnHost(Set<String> machineNames, List<String> allowedOrigins) {
        Set<String> n = new HashSet<>();
        n.add("localhost");
        machineNames.stream().map(OwnHost::normalise).forEach(n::add);
        for (String origin : allowedOrigins) {
            try {
                String host = URI.create(origin.strip()).getHost();
                if (host != null) {
                    n.add(normalise(host));
                }
            } catch (IllegalArgumentException e) {
                // not an origin: AllowedOrigins compares it as text and it never matches a Host
            }
        }
        this.names = Set.copyOf(n);
    }

    /** From the configuration and this machine's host name. */
    public static OwnHost of(ChatAppProperties properties) {
        Set<String> machine = new HashSet<>();
        try {
            String name = InetAddress.getLocalHost().getHostName();
            machine.add(name);
            if (!name.contains(".")) {
                machine.add(name + ".local"); // how mDNS (Bonjour, Avahi) names it on the LAN
            }
        } catch (UnknownHostException e) {
            // no name of its own: IP literals and localhost still work
        }
        return new OwnHost(machine, properties.allowedOrigins());
    }

    /**
     * Whether a {@code Host} header ({@code host[:port]}) may be taken as this server's own name.
     *
     * @param host the header, null if absent (never trusted)
     */
    public boolean trusts(String host) {
        if (host == null) {
            return false;
        }
        Matcher m = HOST.matcher(host.strip());
        if (!m.matches()) {
            return false;
        }
        if (m.group("v6") != null) {
            return true;
        }
        String name = normalise(m.group("name"));
        return IPV4.matcher(name).matches() || names.contains(name);
    }

    private static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
