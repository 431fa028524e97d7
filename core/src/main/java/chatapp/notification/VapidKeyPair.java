package chatapp.notification;

import chatapp.core.KeyFile;
import com.interaso.webpush.VapidKeys;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The server's VAPID key pair (RFC 8292), which push services use to know that a push comes
 * from the server a browser subscribed to. Its text form is the public key (X.509, base64) and
 * the private key (PKCS#8, base64), on two lines (or separated by a comma): what
 * {@code CHATAPP_PUSH_VAPID_KEYS} and its Secrets Manager secret hold, and the file the
 * one-machine shape generates.
 */
public final class VapidKeyPair {

    /** The file under the data directory (owner-only, like the signing key). */
    public static final String FILE = "vapid-keys";

    private VapidKeyPair() {
    }

    /**
     * The keys in {@code text}.
     *
     * @throws IllegalArgumentException if it is not two base64 keys of one P-256 pair (the message
     *     says what is expected, never the key)
     */
    public static VapidKeys parse(String text) {
        String[] parts = text.strip().split("[\\s,]+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("VAPID keys are two base64 values: the X.509 public key, then the"
                    + " PKCS#8 private key (on two lines or separated by a comma)");
        }
        try {
            return VapidKeys.create(parts[0], parts[1]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("VAPID keys are not one P-256 key pair (X.509 public, PKCS#8 private,"
                    + " base64)");
        }
    }

    /** The text form of {@code keys} ({@link #parse} reads it). */
    public static String format(VapidKeys keys) {
        return keys.getX509PublicKey() + "\n" + keys.getPkcs8PrivateKey() + "\n";
    }

    /**
     * Reads {@code dir/vapid-keys}, generating a new pair into it (permissions {@code rw-------})
     * on first start; when two processes start at once, the first file written wins.
     *
     * @throws IOException if it cannot be read or written
     * @throws IllegalArgumentException if the file holds no key pair
     */
    public static VapidKeys fromDataDir(Path dir) throws IOException {
        return parse(KeyFile.readOrCreate(dir.resolve(FILE), () -> format(VapidKeys.generate())));
    }
}
