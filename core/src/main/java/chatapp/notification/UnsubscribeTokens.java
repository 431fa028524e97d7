package chatapp.notification;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token of a one-click unsubscribe link (RFC 8058): the user's id and an HMAC-SHA256 of it
 * under a server key, so that the link turns email off for that user without a login and cannot
 * be made for anyone else. Nothing is stored; the link keeps working as long as the key does.
 */
public final class UnsubscribeTokens {

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private final SecretKeySpec key;

    /** @param key at least 32 bytes, the same on every node (derived from the signing key) */
    public UnsubscribeTokens(byte[] key) {
        if (key == null || key.length < 32) {
            throw new IllegalArgumentException("the unsubscribe key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /**
     * The tokens of a deployment whose signing key ({@code CHATAPP_SIGNING_KEY}) is {@code master}:
     * the key is derived as the server derives each of its keys (HMAC-SHA256 of the label
     * "chatapp unsubscribe v1"), so a Lambda and the server make and accept the same links.
     */
    public static UnsubscribeTokens fromSigningKey(byte[] master) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return new UnsubscribeTokens(mac.doFinal("chatapp unsubscribe v1".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token for {@code userId}. */
    public String issue(String userId) {
        byte[] id = userId.getBytes(StandardCharsets.UTF_8);
        return ENCODE.encodeToString(id) + "." + ENCODE.encodeToString(mac(id));
    }

    /** The user a token was issued for; empty if it is malformed or not signed by this key. */
    public Optional<String> userOf(String token) {
        if (token == null || token.length() > 300) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 1) {
            return Optional.empty();
        }
        try {
            byte[] id = DECODE.decode(token.substring(0, dot));
            byte[] given = DECODE.decode(token.substring(dot + 1));
            return MessageDigest.isEqual(mac(id), given) ? Optional.of(new String(id, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update("chatapp unsubscribe ".getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(id);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
