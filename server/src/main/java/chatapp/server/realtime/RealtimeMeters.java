package chatapp.server.realtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The built-in gateway's meters (docs/operations.md, "Metrics"): frames handled and their
 * time, sends acknowledged, rate-limit refusals, frames fanned out, open connections and the
 * outbound queues. Gauges are read at scrape time, so the send path pays only for one timer
 * and a counter.
 */
final class RealtimeMeters {

    private final Timer frames;
    private final Counter acks;
    private final Counter refusals;

    RealtimeMeters(MeterRegistry registry, BuiltinFanOut fanOut) {
        this.frames = Timer.builder("chatapp.websocket.frames")
                .description("client frames handled, from receipt to the answer queued (a send: after its commit and fan-out)")
                .register(registry);
        this.acks = Counter.builder("chatapp.acks").tag("transport", "websocket")
                .description("sends acknowledged (durably stored)").register(registry);
        this.refusals = Counter.builder("chatapp.refusals.rate_limited").tag("area", "websocket")
                .description("requests and frames refused by a rate limit").register(registry);
        FunctionCounter.builder("chatapp.fanout.frames", fanOut, BuiltinFanOut::delivered)
                .description("frames queued to this node's sockets by the fan-out").register(registry);
        Gauge.builder("chatapp.connections.open", fanOut, BuiltinFanOut::size)
                .description("WebSocket connections open on this node").register(registry);
        Gauge.builder("chatapp.fanout.queue.frames", fanOut, f -> queued(f, false))
                .description("frames waiting in the outbound queues, all connections").register(registry);
        Gauge.builder("chatapp.fanout.queue.max", fanOut, f -> queued(f, true))
                .description("frames waiting in the longest outbound queue").register(registry);
    }

    /** One client frame handled since {@code startNanos}: its answer (if any) is queued. */
    void handled(long startNanos) {
        frames.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** An answer queued to a connection: counts acks and rate-limit refusals. */
    void answered(String answer) {
        if (answer.startsWith("{\"type\":\"ack\"")) {
            acks.increment();
        } else if (answer.startsWith("{\"type\":\"error\"") && answer.contains("\"rate_limited\"")) {
            refusals.increment();
        }
    }

    private static double queued(BuiltinFanOut fanOut, boolean max) {
        long total = 0;
        long longest = 0;
        for (LiveConnection c : fanOut.all()) {
            int n = c.queuedFrames();
            total += n;
            longest = Math.max(longest, n);
        }
        return max ? longest : total;
    }
}
