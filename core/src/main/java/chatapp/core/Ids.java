package chatapp.core;

import java.security.SecureRandom;
import java.util.Base64;

/** Random opaque identifiers (API.md: "IDs are opaque strings"). */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    /** 128 random bits as 22 URL-safe characters ({@code [A-Za-z0-9_-]}), unguessable. */
    public static String random() {
        return randomToken(16);
    }

    /** {@code bytes} random bytes as URL-safe base64 without padding: secrets, tickets, tokens. */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }
}
