package chatapp.server.security;

import chatapp.core.KeyFile;
import chatapp.server.ChatAppProperties;
import chatapp.server.OperatorError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's one secret ({@code CHATAPP_SIGNING_KEY}, base64 of at least 32 random bytes) and
 * the keys derived from it by HMAC-SHA256 with a label each (one key per purpose): the access
 * tokens' HS256 key and the cursors' key. Without configuration the one-machine shape generates
 * 32 random bytes once into {@code <data dir>/signing-key} (owner-only, {@code rw-------}); the
 * DynamoDB shape refuses to start without a configured key, because every node must share it.
 */
public final class SigningKeys {

    static final String FILE = "signing-key";
    private static final int MIN_BYTES = 32;

    private final byte[] tokenKey;
    private final byte[] cursorKey;
    private final byte[] unsubscribeKey;
    private final byte[] mediaUrlKey;
    private final String keyId;

    /** Keys derived from {@code master} (at least 32 bytes). */
    public SigningKeys(byte[] master) {
        if (master.length < MIN_BYTES) {
            throw new IllegalArgumentException("the signing key needs at least " + MIN_BYTES + " bytes");
        }
        this.tokenKey = derive(master, "chatapp access token v1");
        this.cursorKey = derive(master, "chatapp cursor v1");
        this.unsubscribeKey = derive(master, "chatapp unsubscribe v1");
        this.mediaUrlKey = derive(master, "chatapp media url v1");
        this.keyId = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Arrays.copyOf(sha256(tokenKey), 9)); // names the key, reveals nothing of it
    }

    /**
     * The keys for this configuration.
     *
     * @throws OperatorError if the configured key is not base64 of at least 32 bytes, if
     *     the DynamoDB shape has none, or if the key file cannot be read or written
     */
    public static SigningKeys of(ChatAppProperties properties) {
        String configured = properties.signingKey();
        if (configured != null && !configured.isBlank()) {
            byte[] master;
            try {
                master = Base64.getDecoder().decode(configured.strip());
            } catch (IllegalArgumentException e) {
                throw new OperatorError("CHATAPP_SIGNING_KEY is not valid base64");
            }
            if (master.length < MIN_BYTES) {
                throw new OperatorError("CHATAPP_SIGNING_KEY must be base64 of at least " + MIN_BYTES
                        + " random bytes (e.g. openssl rand -base64 32)");
            }
            return new SigningKeys(master);
        }
        if (properties.store() == ChatAppProperties.Store.DYNAMODB) {
            throw new OperatorError("CHATAPP_SIGNING_KEY is required when CHATAPP_STORE=dynamodb "
                    + "(base64 of at least " + MIN_BYTES + " random bytes, the same on every node)");
        }
        return new SigningKeys(fromDataDir(properties.dataDir().toAbsolutePath().normalize()));
    }

    /** Reads {@code dir/signing-key}, creating it (owner-only) with 32 random bytes on first start. */
    static byte[] fromDataDir(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            byte[] master = Base64.getDecoder().decode(KeyFile.readOrCreate(file, () -> {
                byte[] fresh = new byte[MIN_BYTES];
                new SecureRandom().nextBytes(fresh);
                return Base64.getEncoder().encodeToString(fresh) + "\n";
            }).strip());
            if (master.length < MIN_BYTES) {
                throw new OperatorError("the key file " + file + " is too short; remove it to generate a new one");
            }
            return master;
        } catch (IOException e) {
            throw new OperatorError("cannot read or create the signing key " + file + ": " + reason(e));
        } catch (IllegalArgumentException e) {
            throw new OperatorError("the key file " + file + " is not base64; remove it to generate a new one");
        }
    }

    /** Why a file could not be made, in words (a FileSystemException's message is often the bare path). */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return e.getMessage() + " is a file, not a directory (CHATAPP_DATA_DIR must name a directory)";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied on " + e.getMessage();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return e.getMessage() + " cannot be created there";
        }
        return e.getMessage();
    }

    /** The HS256 key of access tokens. */
    public byte[] tokenKey() {
        return tokenKey.clone();
    }

    /** The {@code kid} of access tokens signed with {@link #tokenKey()}. */
    public String keyId() {
        return keyId;
    }

    /** The key of one-click unsubscribe links ({@link chatapp.notification.UnsubscribeTokens}). */
    public byte[] unsubscribeKey() {
        return unsubscribeKey.clone();
    }

    /** The key of {@link chatapp.core.CursorCodec}. */
    public byte[] cursorKey() {
        return cursorKey.clone();
    }

    /** The key of the disk media adapter's signed download URLs. */
    public byte[] mediaUrlKey() {
        return mediaUrlKey.clone();
    }

    private static byte[] derive(byte[] master, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
