package chatapp.account;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a rotation's new refresh token so that only the holder of the token it replaced can
 * open it again (the repeat within the grace window, docs/decisions/0023-accounts-refresh-repeat.md).
 * Key: HMAC-SHA256 keyed with the presented raw token over a fixed label (the store holds
 * SHA-256 of that token, a different function, so it cannot derive the key). Cipher: AES-256-GCM
 * from the JDK, random 96-bit nonce, the presented token's hash as associated data (a sealed token
 * only opens for the token it was sealed for). Format: base64url(nonce || ciphertext || tag).
 */
final class SuccessorSeal {

    private static final byte[] LABEL = "chatapp refresh-token successor v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SuccessorSeal() {
    }

    /** {@code successor} sealed for the holder of {@code presented}. */
    static String seal(String successor, String presented) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, presented, nonce);
            byte[] sealed = cipher.doFinal(successor.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The token sealed for {@code presented}; empty if it was sealed for another or altered. */
    static Optional<String> open(String sealed, String presented) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(sealed);
            if (bytes.length <= NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, presented, java.util.Arrays.copyOf(bytes, NONCE_BYTES));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static Cipher cipher(int mode, String presented, byte[] nonce) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(presented.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] key = mac.doFinal(LABEL);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(Accounts.tokenHash(presented).getBytes(StandardCharsets.US_ASCII));
        return cipher;
    }
}
