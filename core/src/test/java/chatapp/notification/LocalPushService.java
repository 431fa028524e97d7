package chatapp.notification;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A push service for tests (RFC 8030), over real HTTP on loopback, that plays both the push
 * service and the browser: it hands out subscriptions whose keys it holds ({@link #subscribe}),
 * checks every request's VAPID token (RFC 8292: ES256 signature with the key in {@code k}, the
 * audience, the expiry, a subject) and decrypts the {@code aes128gcm} payload with the
 * subscription's private key and auth secret (RFC 8291), with the JDK's crypto only. What it
 * received is in {@link #received()}; a request that fails a check is recorded as such and
 * answered 400. Endpoints can be made to answer 404 or 410 ({@link #answer}).
 */
public final class LocalPushService implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** One push as received: its subscription's id, headers, the decrypted payload, and any check that failed. */
    public record Push(String id, Map<String, String> headers, String payload, JsonNode claims, String failure) {
        /** The payload as JSON. */
        public JsonNode json() {
            return JSON.readTree(payload);
        }
    }

    /** A browser's side of one subscription: the keys only it knows. */
    private record Browser(KeyPair keys, byte[] auth) {
    }

    private final HttpServer http;
    private final Map<String, Browser> browsers = new ConcurrentHashMap<>();
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final List<Push> received = new CopyOnWriteArrayList<>();
    private volatile String expectedVapidKey;

    public LocalPushService() {
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        http.createContext("/push/", this::handle);
        http.start();
    }

    /** The VAPID public key (base64url) every request must carry in {@code k}; null: any valid one. */
    public void expectVapidKey(String publicKey) {
        this.expectedVapidKey = publicKey;
    }

    /** A new subscription's endpoint and browser keys, as {@code PushSubscription.toJSON()} has them. */
    public record Subscription(String id, String endpoint, String p256dh, String auth) {
    }

    /** A new browser subscription. */
    public Subscription subscribe() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = g.generateKeyPair();
            byte[] auth = new byte[16];
            new SecureRandom().nextBytes(auth);
            String id = Long.toString(Math.abs(new SecureRandom().nextLong()), 36);
            browsers.put(id, new Browser(keys, auth));
            return new Subscription(id, "http://127.0.0.1:" + http.getAddress().getPort() + "/push/" + id,
                    B64.encodeToString(uncompressed((ECPublicKey) keys.getPublic())), B64.encodeToString(auth));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From now on the subscription's endpoint answers {@code status} (404, 410: gone). */
    public void answer(Subscription s, int status) {
        answers.put(s.id(), status);
    }

    /** Everything received so far. */
    public List<Push> received() {
        return List.copyOf(received);
    }

    /** What the subscription received. */
    public List<Push> receivedBy(Subscription s) {
        return received.stream().filter(p -> p.id().equals(s.id())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/push/".length());
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.getFirst()));
        Browser browser = browsers.get(id);
        int status;
        if (browser == null) {
            status = 404;
        } else {
            Push push;
            try {
                JsonNode claims = checkVapid(headers.get("Authorization"), exchange);
                if (!"aes128gcm".equals(headers.get("Content-Encoding"))) {
                    throw new GeneralSecurityException("Content-Encoding is not aes128gcm");
                }
                if (headers.get("TTL") == null) {
                    throw new GeneralSecurityException("no TTL");
                }
                push = new Push(id, java.util.Collections.unmodifiableMap(headers), decrypt(browser, body), claims, null);
            } catch (GeneralSecurityException | RuntimeException e) {
                push = new Push(id, java.util.Collections.unmodifiableMap(headers), null, null, e.toString());
            }
            received.add(push);
            status = push.failure() != null ? 400 : answers.getOrDefault(id, 201);
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** RFC 8292: {@code vapid t=<JWT>, k=<public key>}; the JWT signed ES256 by that key, for this origin, not expired. */
    private JsonNode checkVapid(String authorization, HttpExchange exchange) throws GeneralSecurityException {
        if (authorization == null || !authorization.startsWith("vapid ")) {
            throw new GeneralSecurityException("no vapid Authorization");
        }
        String token = null;
        String key = null;
        for (String part : authorization.substring(6).split(",")) {
            String p = part.strip();
            if (p.startsWith("t=")) {
                token = p.substring(2);
            } else if (p.startsWith("k=")) {
                key = p.substring(2);
            }
        }
        if (token == null || key == null) {
            throw new GeneralSecurityException("vapid needs t and k");
        }
        byte[] k = Base64.getUrlDecoder().decode(key.replace("=", ""));
        if (expectedVapidKey != null && !Arrays.equals(k, Base64.getUrlDecoder().decode(expectedVapidKey))) {
            throw new GeneralSecurityException("k is not the server's VAPID key");
        }
        String[] jwt = token.split("\\.");
        if (jwt.length != 3) {
            throw new GeneralSecurityException("not a JWT");
        }
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        if (!"ES256".equals(header.path("alg").asString())) {
            throw new GeneralSecurityException("alg is not ES256");
        }
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initVerify(publicKey(k));
        es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        if (!es256.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
            throw new GeneralSecurityException("bad VAPID signature");
        }
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        // The origin the request was sent to: its Host (a name that resolves here, or 127.0.0.1).
        String aud = "http://" + exchange.getRequestHeaders().getFirst("Host");
        if (!aud.equals(claims.path("aud").asString())) {
            throw new GeneralSecurityException("aud is " + claims.path("aud") + ", not " + aud);
        }
        long exp = claims.path("exp").asLong();
        long now = Instant.now().getEpochSecond();
        if (exp <= now || exp > now + 24 * 3600) {
            throw new GeneralSecurityException("exp is not within 24 hours");
        }
        String sub = claims.path("sub").asString();
        if (!(sub.startsWith("mailto:") || sub.startsWith("https://"))) {
            throw new GeneralSecurityException("sub is not mailto: or https:");
        }
        return claims;
    }

    /** RFC 8291 / RFC 8188: one record, the application server's key as the key id. */
    private static String decrypt(Browser browser, byte[] body) throws GeneralSecurityException {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        int recordSize = in.getInt();
        int idLength = in.get() & 0xff;
        byte[] serverKey = new byte[idLength];
        in.get(serverKey);
        byte[] cipherText = new byte[in.remaining()];
        in.get(cipherText);
        if (idLength != 65 || recordSize < 18) {
            throw new GeneralSecurityException("bad aes128gcm header");
        }
        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(browser.keys().getPrivate());
        ecdh.doPhase(publicKey(serverKey), true);
        byte[] shared = ecdh.generateSecret();
        byte[] uaPublic = uncompressed((ECPublicKey) browser.keys().getPublic());
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, serverKey);
        byte[] ikm = hkdf(browser.auth(), shared, keyInfo, 32);
        byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] plain = aes.doFinal(cipherText);
        int end = plain.length - 1;
        while (end >= 0 && plain[end] == 0) {
            end--;
        }
        if (end < 0 || plain[end] != 2) {
            throw new GeneralSecurityException("the last record's delimiter is missing");
        }
        return new String(plain, 0, end, StandardCharsets.UTF_8);
    }

    /** HKDF-SHA-256 (RFC 5869), one block is enough for 32 bytes or fewer. */
    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        byte[] x = unsigned(key.getW().getAffineX());
        byte[] y = unsigned(key.getW().getAffineY());
        System.arraycopy(x, 0, out, 1 + 32 - x.length, x.length);
        System.arraycopy(y, 0, out, 33 + 32 - y.length, y.length);
        return out;
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b.length > 32 ? Arrays.copyOfRange(b, b.length - 32, b.length) : b;
    }

    private static ECPublicKey publicKey(byte[] uncompressed) throws GeneralSecurityException {
        if (uncompressed.length != 65 || uncompressed[0] != 4) {
            throw new GeneralSecurityException("not an uncompressed P-256 point");
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var params = ((ECPublicKey) g.generateKeyPair().getPublic()).getParams();
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
