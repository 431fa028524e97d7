package chatapp.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.Ids;
import chatapp.realtime.Connections;
import chatapp.realtime.FanOut;
import chatapp.realtime.ServerFrame;
import chatapp.realtime.Tickets;
import chatapp.server.RunningServer;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Connections over time, each test on its own server: a frame sent right after the hello
 * arrives, idle connections are pinged and dead ones dropped, a slow reader is cut off without holding up anyone else, and shutdown closes
 * every socket with 1001 and removes the records.
 */
class GatewayLifecycleTest {

    private static WsClient connect(RunningServer server, String userId) {
        String ticket = server.context().getBean(Tickets.class).issue(userId).ticket();
        WsClient c = WsClient.connect(URI.create(server.uri("/ws").toString().replaceFirst("^http", "ws")
                + "?ticket=" + ticket), null);
        c.next("hello");
        return c;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void idleConnectionsArePingedAndOneThatStopsAnsweringIsDropped() throws Exception {
        RunningServer server = new RunningServer("--chatapp.websocket.ping-interval=300ms");
        server.beforeAll(null);
        try {
            String alive = "user-" + Ids.random();
            String dead = "user-" + Ids.random();
            Connections connections = server.context().getBean(Connections.class);
            try (WsClient a = connect(server, alive); WsClient d = connect(server, dead)) {
                d.reading(false); // stops reading: pings go unanswered, like a vanished phone
                await("the silent client is dropped", () -> connections.of(dead).isEmpty());

                assertThat(a.pings()).as("pings answered by the live client").isPositive();
                assertThat(a.isClosed()).isFalse();
                assertThat(connections.of(alive)).hasSize(1);
                a.send("{\"type\":\"ping\"}");
                assertThat(a.next().path("type").asString()).isEqualTo("pong");

                d.reading(true);
                WsClient.Closed closed = d.closed(Duration.ofSeconds(10));
                assertThat(closed.code()).isIn(1001, 1006);
            }
        } finally {
            server.afterAll(null);
        }
    }

    @Test
    void aFrameDeliveredTheMomentTheHelloArrivesIsNeverMissed() throws Exception {
        RunningServer server = new RunningServer();
        server.beforeAll(null);
        try {
            String userId = "user-" + Ids.random();
            FanOut fanOut = server.context().getBean(FanOut.class);
            // A client that has its hello must get everything delivered after it (it catches up
            // with REST once, right after the hello). Racy before the fix, so tried many times.
            for (int i = 0; i < 40; i++) {
                try (WsClient c = connect(server, userId)) {
                    fanOut.deliver(userId, new ServerFrame.Typing("c-" + i, userId), null);
                    assertThat(c.next(Duration.ofSeconds(10)).path("conversationId").asString())
                            .as("attempt " + i).isEqualTo("c-" + i);
                }
            }
        } finally {
            server.afterAll(null);
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffWhileItsOtherDeviceGetsEveryFrame() throws Exception {
        RunningServer server = new RunningServer("--chatapp.websocket.outbound-frames=64");
        server.beforeAll(null);
        try {
            String userId = "user-" + Ids.random();
            FanOut fanOut = server.context().getBean(FanOut.class);
            try (WsClient stalled = connect(server, userId); WsClient fast = connect(server, userId)) {
                stalled.reading(false);
                String pad = "x".repeat(32 * 1024);
                // Twice what the kernel's buffers can take on both ends (Linux grows a receive
                // buffer up to tcp_rmem's maximum: 6 MB by default, 32 MB on this project's
                // machine, where a fixed 16 MB once fitted and nothing was cut off) and the queue.
                int frames = (int) (2 * (socketBufferMax("tcp_rmem") + socketBufferMax("tcp_wmem")) / pad.length()) + 64;
                for (int i = 0; i < frames; i++) {
                    // One at a time: the fast device must get each frame while the other is stalled.
                    fanOut.deliver(userId, new ServerFrame.Typing("c-" + i + "-" + pad, userId), null);
                    JsonNode f = fast.next("typing");
                    assertThat(f.path("conversationId").asString()).startsWith("c-" + i + "-");
                }
                // The stalled client has read nothing so far, yet the other device got all frames.
                stalled.reading(true);
                WsClient.Closed closed = stalled.closed(Duration.ofSeconds(30));
                assertThat(closed.code()).as("closed: " + closed).isIn(1013, 1006);
                assertThat(stalled.drain().size()).isLessThan(frames);
                assertThat(fast.isClosed()).isFalse();
            }
        } finally {
            server.afterAll(null);
        }
    }

    @Test
    void shutdownClosesEverySocketWith1001AndRemovesTheRecords() throws Exception {
        RunningServer server = new RunningServer().dataDir(Files.createTempDirectory("chatapp-shutdown").resolve("data"));
        server.beforeAll(null);
        String userId = "user-" + Ids.random();
        try (WsClient phone = connect(server, userId); WsClient laptop = connect(server, userId)) {
            assertThat(server.context().getBean(Connections.class).of(userId)).hasSize(2);
            server.stop();
            for (WsClient c : new WsClient[] {phone, laptop}) {
                WsClient.Closed closed = c.closed(Duration.ofSeconds(10));
                assertThat(closed.code()).isEqualTo(1001);
                assertThat(closed.reason()).contains("shutting down");
            }
        }
        server.start();
        try {
            assertThat(server.context().getBean(Connections.class).of(userId)).isEmpty();
        } finally {
            server.afterAll(null);
        }
    }

    /** The largest buffer Linux gives a TCP socket's receive or send side (bytes), from /proc. */
    private static long socketBufferMax(String name) throws java.io.IOException {
        // read as a stream: procfs reports a size of 0, and Files.readString then takes one byte
        try (var lines = Files.lines(java.nio.file.Path.of("/proc/sys/net/ipv4", name))) {
            String[] minDefaultMax = lines.findFirst().orElseThrow().strip().split("\\s+");
            return Long.parseLong(minDefaultMax[2]);
        }
    }
}
