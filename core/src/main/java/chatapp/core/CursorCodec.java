package chatapp.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes a store's page position into the opaque, tamper-proof {@code cursor} of API.md and
 * back. A cursor is bound to a scope (the list and the caller, e.g.
 * {@code "messages:" + conversationId + ":" + userId}): an edited cursor, or one taken from
 * another list or another user, fails with {@code 400 bad_cursor}. HMAC-SHA256 (RFC 2104),
 * truncated to 128 bits.
 */
public final class CursorCodec {

    private static final int TAG_BYTES = 16;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    /** @param secret at least 32 bytes of key material, kept server-side */
    public CursorCodec(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("cursor key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** The cursor for {@code position} within {@code scope}; null position gives null. */
    public String encode(String scope, String position) {
        if (position == null) {
            return null;
        }
        byte[] pos = position.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(pos) + "." + B64.encodeToString(tag(scope, pos));
    }

    /**
     * The position inside {@code cursor}; null cursor gives null.
     *
     * @throws ChatAppException {@code bad_cursor} if the cursor was not made by
     *     {@link #encode} for this scope with this key
     */
    public String decode(String scope, String cursor) {
        return decode(scope, cursor, MAX_LENGTH);
    }

    /** The longest cursor {@link #decode(String, String)} accepts. */
    public static final int MAX_LENGTH = 2048;

    /**
     * As {@link #decode(String, String)} for a list whose positions may be longer (search), with
     * cursors of up to {@code maxLength} characters.
     */
    public String decode(String scope, String cursor, int maxLength) {
        if (cursor == null) {
            return null;
        }
        int dot = cursor.indexOf('.');
        if (dot <= 0 || cursor.length() > maxLength) {
            throw badCursor();
        }
        try {
            byte[] pos = B64D.decode(cursor.substring(0, dot));
            byte[] tag = B64D.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(tag, tag(scope, pos))) {
                throw badCursor();
            }
            return new String(pos, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badCursor();
        }
    }

    private byte[] tag(String scope, byte[] position) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(scope.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] full = mac.doFinal(position);
            byte[] tag = new byte[TAG_BYTES];
            System.arraycopy(full, 0, tag, 0, TAG_BYTES);
            return tag;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static ChatAppException badCursor() {
        return new ChatAppException(ErrorCode.BAD_CURSOR, "the cursor is not valid for this list");
    }
}
