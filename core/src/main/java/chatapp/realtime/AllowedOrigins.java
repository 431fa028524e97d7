package chatapp.realtime;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which web pages may open a WebSocket (API.md: an {@code Origin} outside the allow-list gets
 * 403): the configured origins ({@code CHATAPP_ALLOWED_ORIGINS}) and the endpoint's own. A
 * handshake without {@code Origin} comes from a non-browser client, which Origin checks cannot
 * protect anyway, and is judged by its ticket alone.
 */
public final class AllowedOrigins {

    private final Set<String> allowed;

    public AllowedOrigins(List<String> origins) {
        this.allowed = origins.stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(AllowedOrigins::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether a handshake with this {@code Origin} header may proceed.
     *
     * @param origin the header, null if absent
     * @param own the endpoint's own origin ({@code scheme://host[:port]}), null if unknown
     */
    public boolean allows(String origin, String own) {
        if (origin == null) {
            return true;
        }
        String o = normalise(origin);
        return allowed.contains(o) || (own != null && normalise(own).equals(o));
    }

    /** scheme://host[:port], lower case, without a trailing slash or default port. */
    public static String normalise(String origin) {
        try {
            URI u = URI.create(origin.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                return origin.strip().toLowerCase(Locale.ROOT);
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return origin.strip().toLowerCase(Locale.ROOT);
        }
    }
}
