package chatapp.notification;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.PublicAddresses;
import com.interaso.webpush.VapidKeys;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/security.md, "Push endpoints": a push resolves the endpoint's host once and connects to
 * that very address (real sockets on loopback; a resolver whose answers change plays a rebinding
 * DNS server), keeping the name in {@code Host}, SNI and the certificate check.
 */
class PushDeliveryPinningTest {

    private static final String NAME = "push.example.test";
    private static final InetAddress SERVICE = InetAddress.getLoopbackAddress(); // 127.0.0.1, where it listens
    private static final InetAddress NOTHING;

    static {
        try {
            NOTHING = InetAddress.getByName("127.0.0.2"); // loopback too, but nothing listens there
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private final LocalPushService pushService = new LocalPushService();

    @AfterEach
    void close() {
        pushService.close();
    }

    /** For {@link #NAME}: answers {@code answers} in turn (the last one for good), counting the questions. */
    private static final class ChangingDns implements PublicAddresses.Resolver {
        final AtomicInteger asked = new AtomicInteger();
        private final List<InetAddress> answers;

        ChangingDns(InetAddress... answers) {
            this.answers = List.of(answers);
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            if (!host.equals(NAME)) {
                return InetAddress.getAllByName(host); // an address literal: no DNS asked
            }
            int i = asked.getAndIncrement();
            return new InetAddress[] {answers.get(Math.min(i, answers.size() - 1))};
        }
    }

    private PushSubscription named(LocalPushService.Subscription s) {
        URI local = URI.create(s.endpoint());
        String endpoint = "http://" + NAME + ":" + local.getPort() + local.getPath();
        return new PushSubscription("user-1", "session-1", endpoint, s.p256dh(), s.auth(), Instant.EPOCH);
    }

    private static WebPushDelivery delivery(boolean allowPrivate, PublicAddresses.Resolver dns) throws Exception {
        return new WebPushDelivery("mailto:ops@example.org", VapidKeys.generate(), allowPrivate, dns,
                SSLContext.getDefault());
    }

    @Test
    void aNameThatResolvesToAnInternalAddressAtDeliveryIsNeverContacted() throws Exception {
        ChangingDns dns = new ChangingDns(SERVICE);
        LocalPushService.Subscription s = pushService.subscribe();
        assertThat(delivery(false, dns).send(named(s), "{}", "t")).isEqualTo(WebPushDelivery.Outcome.REFUSED);
        assertThat(pushService.received()).isEmpty();
        assertThat(dns.asked).hasValue(1);
    }

    @Test
    void theRequestGoesToTheAddressResolvedFirstWithTheNameAsHost() throws Exception {
        // First answer: where the push service is; every later answer: where nothing is. A client
        // that resolved again for its connection would miss the service.
        ChangingDns dns = new ChangingDns(SERVICE, NOTHING);
        LocalPushService.Subscription s = pushService.subscribe();
        assertThat(delivery(true, dns).send(named(s), "{\"a\":1}", "t")).isEqualTo(WebPushDelivery.Outcome.SENT);
        assertThat(pushService.receivedBy(s)).singleElement().satisfies(p -> {
            assertThat(p.failure()).isNull();
            assertThat(p.headers().get("Host")).isEqualTo(NAME + ":" + URI.create(s.endpoint()).getPort());
            assertThat(p.payload()).isEqualTo("{\"a\":1}");
        });
        assertThat(dns.asked).hasValue(1);
    }

    @Test
    void aRebindingAnswerAfterTheCheckIsNeverConnectedTo() throws Exception {
        // The mirror image: the first answer (the one checked) leads nowhere; the later one is the
        // service. Nothing may reach the service.
        ChangingDns dns = new ChangingDns(NOTHING, SERVICE);
        LocalPushService.Subscription s = pushService.subscribe();
        assertThat(delivery(true, dns).send(named(s), "{}", "t")).isEqualTo(WebPushDelivery.Outcome.FAILED);
        assertThat(pushService.received()).isEmpty();
        assertThat(dns.asked).hasValue(1);
    }

    @Test
    void overTlsTheCertificateMustNameTheEndpointsHost(@TempDir Path dir) throws Exception {
        SSLContext server = tls(dir, "push", NAME, true);
        SSLContext client = tls(dir, "push", NAME, false);
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(SERVICE, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(server));
        https.createContext("/push/", exchange -> {
            seen.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        https.start();
        try {
            int port = https.getAddress().getPort();
            LocalPushService.Subscription keys = pushService.subscribe();
            PushSubscription byName = new PushSubscription("u", "s", "https://" + NAME + ":" + port + "/push/1",
                    keys.p256dh(), keys.auth(), Instant.EPOCH);
            WebPushDelivery delivery = new WebPushDelivery("mailto:ops@example.org", VapidKeys.generate(), true,
                    new ChangingDns(SERVICE), client);
            assertThat(delivery.send(byName, "{}", "t")).isEqualTo(WebPushDelivery.Outcome.SENT);
            assertThat(seen).containsExactly(NAME + ":" + port);

            // The same server under another name: its certificate does not name it, so no request.
            PushSubscription byAddress = new PushSubscription("u", "s", "https://127.0.0.1:" + port + "/push/2",
                    keys.p256dh(), keys.auth(), Instant.EPOCH);
            assertThat(delivery.send(byAddress, "{}", "t")).isEqualTo(WebPushDelivery.Outcome.FAILED);
            assertThat(seen).hasSize(1);
        } finally {
            https.stop(0);
        }
    }

    @Test
    void anAddressLiteralIsCheckedLikeAName() throws Exception {
        // The client must not connect straight to a literal: it goes through the same check.
        LocalPushService.Subscription s = pushService.subscribe();
        int port = URI.create(s.endpoint()).getPort();
        for (String host : List.of("127.0.0.1", "[::1]", "[::ffff:127.0.0.1]")) {
            PushSubscription literal = new PushSubscription("u", "s", "http://" + host + ":" + port
                    + URI.create(s.endpoint()).getPath(), s.p256dh(), s.auth(), Instant.EPOCH);
            assertThat(delivery(false, PublicAddresses.Resolver.SYSTEM).send(literal, "{}", "t")).as(host)
                    .isEqualTo(WebPushDelivery.Outcome.REFUSED);
        }
        assertThat(pushService.received()).isEmpty();
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer http = HttpServer.create(new InetSocketAddress(SERVICE, 0), 0);
        http.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", "/elsewhere");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/push/1") ? 307 : 201, -1);
            exchange.close();
        });
        http.start();
        try {
            LocalPushService.Subscription keys = pushService.subscribe();
            PushSubscription moved = new PushSubscription("u", "s", "http://" + NAME + ":" + http.getAddress().getPort()
                    + "/push/1", keys.p256dh(), keys.auth(), Instant.EPOCH);
            assertThat(delivery(true, new ChangingDns(SERVICE)).send(moved, "{}", "t"))
                    .isEqualTo(WebPushDelivery.Outcome.FAILED);
            assertThat(seen).containsExactly("/push/1");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void theAnswersBodyIsNeitherReadNorWaitedFor() throws Exception {
        // A service that announces a body and never sends it: the status is the answer, at once,
        // not after the 10 s read timeout that reading or draining the body would take.
        try (ServerSocket listener = new ServerSocket(0, 1, SERVICE)) {
            Thread service = Thread.ofVirtual().start(() -> {
                try (Socket socket = listener.accept()) {
                    InputStream in = socket.getInputStream();
                    int last = 0;
                    int c;
                    while ((c = in.read()) != -1 && (last = (last << 8 | c)) != 0x0d0a0d0a) {
                        // the request head, up to its blank line
                    }
                    socket.getOutputStream().write("HTTP/1.1 201 Created\r\nContent-Length: 100000000\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    while (in.read() != -1) {
                        // the request's body, then until the client closes: the announced body never comes
                    }
                } catch (Exception e) {
                    // the test's end closes the listener
                }
            });
            LocalPushService.Subscription keys = pushService.subscribe();
            PushSubscription endless = new PushSubscription("u", "s", "http://" + NAME + ":" + listener.getLocalPort()
                    + "/push/1", keys.p256dh(), keys.auth(), Instant.EPOCH);
            WebPushDelivery delivery = delivery(true, new ChangingDns(SERVICE));
            long start = System.nanoTime();
            assertThat(delivery.send(endless, "{}", "t")).isEqualTo(WebPushDelivery.Outcome.SENT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
            service.join(Duration.ofSeconds(30));
            assertThat(service.isAlive()).as("the client closed the connection").isFalse();
        }
    }

    /** A key store with a self-signed certificate for {@code dnsName} (the JDK's keytool), as server or client context. */
    private static SSLContext tls(Path dir, String alias, String dnsName, boolean server) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        if (!Files.exists(store)) {
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", alias, "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=" + dnsName, "-ext", "san=dns:" + dnsName,
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        if (server) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            context.init(kmf.getKeyManagers(), null, null);
        } else {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            context.init(null, tmf.getTrustManagers(), null);
        }
        return context;
    }
}
