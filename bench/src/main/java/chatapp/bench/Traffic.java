package chatapp.bench;

import chatapp.bench.Pairs.Pair;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.JsonNode;

/**
 * The message traffic of steady, ramp and crash runs. Each pair has two connections (parent and
 * therapist); the sender alternates between them so that each connection sends
 * {@code rate / (2 * pairs)} frames a second. Sends are scheduled open-loop: the k-th send of a
 * phase is due at {@code start + k / rate} whatever happened before, and its latencies are
 * measured from that due time, so a stall of the server (or of this tool) shows up in the
 * figures instead of silently lowering the rate (no coordinated omission).
 *
 * <p>Every send is remembered until the end: its due time, the ack (with the stored message's id),
 * its live delivery to the recipient, or its delivery by a catch-up after a reconnect. Latencies
 * are recorded in microseconds.
 */
final class Traffic implements Connection.Events {

    /** One {@code send}: what was sent and what came back. */
    static final class Send {
        final long seq;
        final String clientMessageId;
        final Pair pair;
        final boolean fromParent;
        final long due;
        final String text;
        final Window window;
        volatile long ackedAt;
        volatile String messageId;
        volatile long deliveredAt;
        volatile boolean caughtUp;
        volatile String error;
        volatile int acks;
        volatile int deliveries;
        volatile boolean resent;

        Send(long seq, String clientMessageId, Pair pair, boolean fromParent, long due, String text, Window window) {
            this.seq = seq;
            this.clientMessageId = clientMessageId;
            this.pair = pair;
            this.fromParent = fromParent;
            this.due = due;
            this.text = text;
            this.window = window;
        }

        String senderId() {
            return fromParent ? pair.parent().userId : pair.therapist().userId;
        }

        String recipientId() {
            return fromParent ? pair.therapist().userId : pair.parent().userId;
        }

        boolean acked() {
            return ackedAt != 0;
        }

        boolean delivered() {
            return deliveredAt != 0 || caughtUp;
        }
    }

    /**
     * The sends whose latencies count for one figure: a steady run after its warm-up, or one ramp
     * step. Throughput is what arrived while the window was open.
     */
    static final class Window {
        final double rate;
        final ConcurrentHistogram ack = new ConcurrentHistogram(3);
        final ConcurrentHistogram e2e = new ConcurrentHistogram(3);
        /** The tool's own lag: from a send's due time until its frame was on the socket. */
        final ConcurrentHistogram sendLag = new ConcurrentHistogram(3);
        /** The tool's own time to handle an arrived ack or message frame (parse, match, record). */
        final ConcurrentHistogram handling = new ConcurrentHistogram(3);
        final LongAdder sends = new LongAdder();
        long openedAt;
        long closedAt;
        long acksAtOpen;
        long acksAtClose;
        long deliveriesAtOpen;
        long deliveriesAtClose;

        Window(double rate) {
            this.rate = rate;
        }

        double seconds() {
            return (closedAt - openedAt) / 1e9;
        }

        double ackRate() {
            return (acksAtClose - acksAtOpen) / seconds();
        }

        double deliveryRate() {
            return (deliveriesAtClose - deliveriesAtOpen) / seconds();
        }
    }

    /**
     * One second of the run, for the progress line and the latency-over-time plot. Besides what
     * the server did, what the tool itself did: its send lag (due time to frame on the socket) and
     * handling time of arrived frames, in ms; and the CPU used in that second, in cores (1.0 = one
     * core busy all second), by the server (when the tool started it) and its JIT compiler, garbage
     * collector and SQLite writer threads, and by the tool and its JIT compiler.
     */
    record Tick(double at, double offeredRate, double ackRate, double deliveryRate, long outstanding, long ackCount,
            double ackP50, double ackP99, double ackMax, long e2eCount, double e2eP50, double e2eP99, double e2eMax,
            int openConnections, double sendLagP99, double sendLagMax, double handlingP99, double serverCpu,
            double serverJitCpu, double serverGcCpu, double serverWriterCpu, double toolCpu, double toolJitCpu) {

        /** A tick without the tool's own figures and the CPU (all NaN). */
        Tick(double at, double offeredRate, double ackRate, double deliveryRate, long outstanding, long ackCount,
                double ackP50, double ackP99, double ackMax, long e2eCount, double e2eP50, double e2eP99, double e2eMax,
                int openConnections) {
            this(at, offeredRate, ackRate, deliveryRate, outstanding, ackCount, ackP50, ackP99, ackMax, e2eCount, e2eP50,
                    e2eP99, e2eMax, openConnections, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN);
        }
    }

    private final Api api;
    private final List<Pair> pairs;
    private final String run;
    private final int size;
    /** Character i is 'a' + i % 26: what fills each message's text after its id, up to {@code size}. */
    private final String filler;
    private final double connectionRate;
    private final PrintStream log;
    private final List<Connection> connections = new ArrayList<>();
    private final Map<String, Send> sends = new ConcurrentHashMap<>();
    private final List<ConcurrentSkipListMap<Long, Send>> unacked = new ArrayList<>();
    private final String[] anchors;
    private final String[] baselines;
    private final Recorder ackInterval = new Recorder(3);
    private final Recorder e2eInterval = new Recorder(3);
    private final Recorder sendLagInterval = new Recorder(3);
    private final Recorder handlingInterval = new Recorder(3);
    /** The pid of the server whose CPU the ticks show (it changes when crash mode restarts it); -1: none. */
    private volatile LongSupplier serverPid = () -> -1;
    private final LongAdder offered = new LongAdder();
    private final LongAdder acks = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    final LongAdder repeatAcks = new LongAdder();
    final LongAdder ackMismatches = new LongAdder();
    final LongAdder repeatDeliveries = new LongAdder();
    final LongAdder unknownFrames = new LongAdder();
    final LongAdder disconnects = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder failedReconnectAttempts = new LongAdder();
    final LongAdder resent = new LongAdder();
    final LongAdder caughtUp = new LongAdder();
    final LongAdder failedCatchUps = new LongAdder();
    final LongAdder ackedAfterResend = new LongAdder();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final List<Tick> ticks = new CopyOnWriteArrayList<>();
    final List<Double> kills = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong maxLag = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean frozen;
    /** No ack counts from now on (the run is closing); deliveries still do until {@link #frozen}. */
    private volatile boolean acksFrozen;
    private static final long DELIVERY_GRACE_NANOS = 2_000_000_000L;
    private volatile Window window;
    private long started;
    private Thread progress;

    Traffic(Api api, List<Pair> pairs, String run, int size, double connectionRate, PrintStream log) {
        this.api = api;
        this.pairs = pairs;
        this.run = run;
        this.size = size;
        StringBuilder filler = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            filler.append((char) ('a' + i % 26));
        }
        this.filler = filler.toString();
        this.connectionRate = connectionRate;
        this.log = log;
        this.anchors = new String[pairs.size() * 2];
        this.baselines = new String[pairs.size()];
    }

    // ------------------------------------------------------------------ connections

    /**
     * Notes where each conversation's history ends now (the catch-up and the verification read
     * what comes after), then opens both connections of every pair, 32 at a time.
     */
    void open() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(32, Thread.ofVirtual().factory())) {
            List<Future<String>> newest = new ArrayList<>();
            for (Pair p : pairs) {
                newest.add(pool.submit(() -> api.newestMessageId(p.parent(), p.conversationId())));
            }
            for (int i = 0; i < pairs.size(); i++) {
                baselines[i] = newest.get(i).get();
                anchors[2 * i] = baselines[i];
                anchors[2 * i + 1] = baselines[i];
            }
            for (int i = 0; i < pairs.size(); i++) {
                Pair p = pairs.get(i);
                connections.add(new Connection(api, p.parent(), 2 * i, this, connectionRate));
                connections.add(new Connection(api, p.therapist(), 2 * i + 1, this, connectionRate));
                unacked.add(new ConcurrentSkipListMap<>());
                unacked.add(new ConcurrentSkipListMap<>());
            }
            List<Future<String>> opening = new ArrayList<>();
            for (Connection c : connections) {
                opening.add(pool.submit(() -> openWithRetries(c)));
            }
            for (Future<String> f : opening) {
                f.get();
            }
        }
        connections.forEach(Connection::startWriter);
    }

    /**
     * Opens both connections of every pair to the stand-in instead of the server: the tool's own
     * warm-up, which must not touch the server (docs/load-tool.md).
     */
    void openTowards(StandInServer standIn) throws Exception {
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            connections.add(new Connection(api, p.parent(), 2 * i, this, connectionRate)
                    .towards(standIn.url(p.parent().userId, p.conversationId())));
            connections.add(new Connection(api, p.therapist(), 2 * i + 1, this, connectionRate)
                    .towards(standIn.url(p.therapist().userId, p.conversationId())));
            unacked.add(new ConcurrentSkipListMap<>());
            unacked.add(new ConcurrentSkipListMap<>());
        }
        for (Connection c : connections) {
            c.open();
        }
        connections.forEach(Connection::startWriter);
    }

    /** Opens a connection, trying up to five times (a busy server may refuse a handshake). */
    private String openWithRetries(Connection c) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return c.open();
            } catch (Exception e) {
                if (attempt == 5) {
                    throw e;
                }
                count("connect_retried");
                Thread.sleep(200L * attempt);
            }
        }
    }

    /** The newest message id of the pair's conversation before the run (null: it was empty). */
    String baseline(int pair) {
        return baselines[pair];
    }

    int openConnections() {
        int n = 0;
        for (Connection c : connections) {
            if (c.isOpen()) {
                n++;
            }
        }
        return n;
    }

    int connectionCount() {
        return connections.size();
    }

    @Override
    public void closed(Connection c, int code, String reason) {
        if (stopping) {
            return;
        }
        disconnects.increment();
        c.clearQueue();
        reconnectSoon(c);
    }

    /** Starts one reconnecting thread for the connection, unless one is at work already. */
    private void reconnectSoon(Connection c) {
        c.lostAgain = true;
        if (c.reconnecting.compareAndSet(false, true)) {
            Thread.ofVirtual().name("reconnect-" + c.index).start(() -> reconnect(c));
        }
    }

    /**
     * What a client does after losing its connection (docs/protocol.md): new ticket and socket with
     * backoff, then catch up on its conversation with {@code after=}, then send every unacked send
     * again with its original clientMessageId. Starts over if the connection is lost again
     * meanwhile (the server may be killed again during all this).
     */
    private void reconnect(Connection c) {
        try {
            while (c.lostAgain && !stopping) {
                c.lostAgain = false;
                if (!openAgain(c)) {
                    return;
                }
                reconnects.increment();
                if (!catchUpWithRetries(c)) {
                    c.lostAgain = true; // try the whole reconnect again
                    c.abort();
                    continue;
                }
                for (Send s : unacked.get(c.index).values()) {
                    s.resent = true;
                    c.send(frame(s));
                    resent.increment();
                }
            }
        } finally {
            c.reconnecting.set(false);
            if (c.lostAgain && !stopping) {
                reconnectSoon(c); // lost between the last check and here
            }
        }
    }

    private boolean openAgain(Connection c) {
        long backoff = 100;
        while (!stopping) {
            try {
                Thread.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                c.open();
                return true;
            } catch (InterruptedException e) {
                return false;
            } catch (Exception e) {
                failedReconnectAttempts.increment();
                backoff = Math.min(backoff * 2, 2000);
            }
        }
        return false;
    }

    private boolean catchUpWithRetries(Connection c) {
        for (int attempt = 1; attempt <= 3 && !stopping; attempt++) {
            try {
                catchUp(c);
                return true;
            } catch (RuntimeException e) {
                failedCatchUps.increment();
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * Reads the conversation after the last position a catch-up (or the run's start) reached, and
     * counts the messages to this connection's user that it had not received live as delivered.
     * The anchor is deliberately not the newest live event: live events of different messages may
     * arrive out of commit order, and one lost in a crash would be skipped.
     */
    private void catchUp(Connection c) {
        Pair p = pairs.get(c.index / 2);
        String anchor;
        synchronized (anchors) {
            anchor = anchors[c.index];
        }
        List<JsonNode> missed = api.messagesAfter(c.account, p.conversationId(), anchor);
        for (JsonNode m : missed) {
            Send s = sends.get(m.path("clientMessageId").asString());
            if (s != null && c.account.userId.equals(m.path("recipientId").asString()) && s.deliveredAt == 0
                    && !s.caughtUp) {
                s.caughtUp = true;
                caughtUp.increment();
            }
        }
        if (!missed.isEmpty()) {
            synchronized (anchors) {
                anchors[c.index] = missed.getLast().path("messageId").asString();
            }
        }
    }

    /**
     * Stops counting acks and reconnecting, gives the recipients' events of the acks counted up to
     * 2 s more, then closes every connection normally; from then on no ack or event changes what
     * the tool knows.
     */
    void close() {
        stopping = true;
        acksFrozen = true;
        // An ack and the recipient's message event leave the server at the same moment, on two
        // sockets: when the drain ran out of time with acks still coming, the events of the last
        // acks counted may be a frame behind them. They get a moment (no ack counts meanwhile).
        long grace = System.nanoTime() + DELIVERY_GRACE_NANOS;
        while (undelivered() > 0 && System.nanoTime() < grace) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        frozen = true;
        Connection.closeAll(connections);
        if (progress != null) {
            progress.interrupt();
        }
    }

    // ------------------------------------------------------------------ sending

    /** Starts the clock (time zero of the ticks and plots) and the once-a-second progress line. */
    void start(String label) {
        started = System.nanoTime();
        progress = Thread.ofPlatform().daemon().name("progress").start(() -> progress(label));
    }

    /**
     * Sends at {@code rate} from {@code from} until {@code until} (both {@link System#nanoTime()}),
     * counting sends due at or after {@code measureFrom} in {@code measured} (null: none).
     * Returns when the last send is due.
     */
    void send(double rate, long from, long until, long measureFrom, Window measured) {
        send(rate, from, until, measureFrom, measured, null);
    }

    /**
     * As {@link #send(double, long, long, long, Window)}, counting the sends due before
     * {@code measureFrom} in {@code first} (the warm-up, reported apart; null: none).
     */
    void send(double rate, long from, long until, long measureFrom, Window measured, Window first) {
        double period = 1e9 / rate;
        for (long k = 0; ; k++) {
            long due = from + (long) (k * period);
            if (due >= until || stopping) {
                return;
            }
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            long lag = now - due;
            if (lag > maxLag.get()) {
                maxLag.set(lag);
            }
            if (due >= measureFrom && measured != null && window != measured) {
                measured.openedAt = due;
                measured.acksAtOpen = acks.sum();
                measured.deliveriesAtOpen = deliveries.sum();
                window = measured;
            }
            emit(due, due >= measureFrom ? measured : first);
        }
    }

    /** Ends the measurement window (call when the sending of a phase ends). */
    void closeWindow(Window w) {
        w.closedAt = System.nanoTime();
        w.acksAtClose = acks.sum();
        w.deliveriesAtClose = deliveries.sum();
        if (w.openedAt == 0) {
            w.openedAt = w.closedAt;
        }
        window = null;
    }

    private void emit(long due, Window measured) {
        long n = seq.getAndIncrement();
        int pairIndex = (int) (n % pairs.size());
        boolean fromParent = (n / pairs.size()) % 2 == 0;
        String id = run + "-" + n;
        String head = "bench " + id + ' ';
        String text = head.length() >= size ? head.substring(0, size) : head + filler.substring(head.length());
        Send s = new Send(n, id, pairs.get(pairIndex), fromParent, due, text, measured);
        sends.put(id, s);
        offered.increment();
        if (measured != null) {
            measured.sends.increment();
        }
        int sender = 2 * pairIndex + (fromParent ? 0 : 1);
        unacked.get(sender).put(n, s);
        Connection c = connections.get(sender);
        if (c.isOpen()) {
            c.send(frame(s), s);
        } // else: sent again after the reconnect
    }

    private static String frame(Send s) {
        return "{\"type\":\"send\",\"clientMessageId\":\"" + s.clientMessageId + "\",\"conversationId\":\""
                + s.pair.conversationId() + "\",\"content\":{\"contentType\":\"text\",\"value\":\"" + s.text + "\"}}";
    }

    /** Sends not acked yet and not refused. */
    long outstanding() {
        long n = 0;
        for (var m : unacked) {
            n += m.size();
        }
        return n;
    }

    /** Acked sends whose recipient has not had them yet (live or by catch-up). */
    long undelivered() {
        long n = 0;
        for (Send s : sends.values()) {
            if (s.acked() && !s.delivered()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Waits until every send is acked or refused and every acked one delivered, at most
     * {@code timeoutNanos}.
     *
     * @return whether everything settled in time
     */
    boolean drain(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            if (outstanding() == 0 && undelivered() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    Collection<Send> sends() {
        return sends.values();
    }

    long offeredCount() {
        return offered.sum();
    }

    long ackCount() {
        return acks.sum();
    }

    long deliveryCount() {
        return deliveries.sum();
    }

    double maxLagMillis() {
        return maxLag.get() / 1e6;
    }

    void count(String code) {
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    // ------------------------------------------------------------------ frames

    /** A send's frame is on the socket: the tool's own send lag, from its due time. */
    @Override
    public void written(Connection c, Object tag, long writtenNanos) {
        Send s = (Send) tag;
        long micros = Math.max(0, (writtenNanos - s.due) / 1000);
        sendLagInterval.recordValue(micros);
        if (s.window != null) {
            s.window.sendLag.recordValue(micros);
        }
    }

    @Override
    public void frame(Connection c, byte[] utf8, int offset, int length, long now) {
        if (frozen) {
            return;
        }
        Send s = handle(c, utf8, offset, length, now);
        if (s != null) {
            // the tool's own time on this frame: a slow (cold) tool adds it to the latencies it reports
            long micros = Math.max(0, (System.nanoTime() - now) / 1000);
            handlingInterval.recordValue(micros);
            if (s.window != null) {
                s.window.handling.recordValue(micros);
            }
        }
    }

    /** Handles one arrived frame; returns the send it was about (an ack or a delivery), else null. */
    private Send handle(Connection c, byte[] utf8, int offset, int length, long now) {
        ServerFrame f;
        try {
            f = ServerFrame.parse(utf8, offset, length);
        } catch (IllegalArgumentException e) {
            unknownFrames.increment();
            return null;
        }
        switch (f.type()) {
            case "ack" -> {
                return ack(f, now);
            }
            case "message" -> {
                return message(c, f, now);
            }
            case "error" -> refused(f);
            case "presence", "read", "typing", "pong" -> {
            }
            default -> unknownFrames.increment();
        }
        return null;
    }

    private Send ack(ServerFrame f, long now) {
        if (acksFrozen) {
            return null;
        }
        Send s = f.clientMessageId() == null ? null : sends.get(f.clientMessageId());
        if (s == null) {
            unknownFrames.increment();
            return null;
        }
        String messageId = f.messageId();
        boolean first;
        synchronized (s) {
            first = s.ackedAt == 0;
            if (first) {
                s.messageId = messageId;
                s.ackedAt = now;
            } else if (messageId == null || !messageId.equals(s.messageId)) {
                ackMismatches.increment();
            } else {
                repeatAcks.increment();
            }
            s.acks++;
        }
        if (!first) {
            return s;
        }
        unacked.get(2 * s.pair.index() + (s.fromParent ? 0 : 1)).remove(s.seq);
        acks.increment();
        if (s.resent) {
            ackedAfterResend.increment();
        }
        long micros = Math.max(0, (now - s.due) / 1000);
        ackInterval.recordValue(micros);
        if (s.window != null) {
            s.window.ack.recordValue(micros);
        }
        return s;
    }

    private Send message(Connection c, ServerFrame f, long now) {
        Send s = f.messageClientMessageId() == null ? null : sends.get(f.messageClientMessageId());
        if (s == null || !c.account.userId.equals(f.recipientId())) {
            return null; // not ours, or the copy to the sender's other connections
        }
        boolean first;
        synchronized (s) {
            first = s.deliveredAt == 0;
            if (first) {
                s.deliveredAt = now;
            } else {
                repeatDeliveries.increment();
            }
            s.deliveries++;
        }
        if (!first) {
            return s;
        }
        deliveries.increment();
        long micros = Math.max(0, (now - s.due) / 1000);
        e2eInterval.recordValue(micros);
        if (s.window != null) {
            s.window.e2e.recordValue(micros);
        }
        return s;
    }

    private void refused(ServerFrame f) {
        count(f.code() != null ? f.code() : "error_without_code");
        Send s = f.clientMessageId() == null ? null : sends.get(f.clientMessageId());
        if (s != null) {
            s.error = f.code() != null ? f.code() : "error";
            unacked.get(2 * s.pair.index() + (s.fromParent ? 0 : 1)).remove(s.seq);
        }
    }

    // ------------------------------------------------------------------ progress

    /** Shows the CPU of the server with this pid (the tool's child; -1: none) in the ticks. */
    void monitor(LongSupplier pid) {
        serverPid = pid;
    }

    private void progress(String label) {
        Histogram ackH = null;
        Histogram e2eH = null;
        Histogram lagH = null;
        Histogram handlingH = null;
        long pid = serverPid.getAsLong();
        ThreadCpu.Sample serverCpu = pid > 0 ? ThreadCpu.of(pid) : ThreadCpu.Sample.NONE;
        ThreadCpu.Sample toolCpu = ThreadCpu.self();
        long lastOffered = 0;
        long lastAcks = 0;
        long lastDeliveries = 0;
        long next = started + 1_000_000_000L;
        long last = started;
        while (!Thread.currentThread().isInterrupted()) {
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            next = Math.max(next + 1_000_000_000L, now + 500_000_000L); // a late wake-up does not bunch ticks
            ackH = ackInterval.getIntervalHistogram(ackH);
            e2eH = e2eInterval.getIntervalHistogram(e2eH);
            lagH = sendLagInterval.getIntervalHistogram(lagH);
            handlingH = handlingInterval.getIntervalHistogram(handlingH);
            long p = serverPid.getAsLong();
            ThreadCpu.Sample serverNow = p > 0 ? ThreadCpu.of(p) : ThreadCpu.Sample.NONE;
            ThreadCpu.Sample toolNow = ThreadCpu.self();
            now = System.nanoTime();
            double seconds = (now - started) / 1e9;
            double span = (now - last) / 1e9; // rates per real second even when this thread ran late
            last = now;
            long o = offered.sum();
            long a = acks.sum();
            long d = deliveries.sum();
            // a restarted server (crash mode) starts its CPU from zero: that second has no figure
            ThreadCpu.Sample server = serverNow.total() >= serverCpu.total() ? serverNow.minus(serverCpu)
                    : ThreadCpu.Sample.NONE;
            ThreadCpu.Sample tool = toolNow.minus(toolCpu);
            serverCpu = serverNow;
            toolCpu = toolNow;
            Tick t = new Tick(seconds, (o - lastOffered) / span, (a - lastAcks) / span, (d - lastDeliveries) / span,
                    outstanding(),
                    ackH.getTotalCount(), ms(ackH, 50), ms(ackH, 99), ackH.getMaxValue() / 1000.0,
                    e2eH.getTotalCount(), ms(e2eH, 50), ms(e2eH, 99), e2eH.getMaxValue() / 1000.0, openConnections(),
                    ms(lagH, 99), lagH.getTotalCount() == 0 ? Double.NaN : lagH.getMaxValue() / 1000.0, ms(handlingH, 99),
                    server.total() / span, server.jit() / span, server.gc() / span, server.writer() / span,
                    tool.total() / span, tool.jit() / span);
            ticks.add(t);
            lastOffered = o;
            lastAcks = a;
            lastDeliveries = d;
            log.printf(Locale.ROOT, "[%5.0fs] %s offered %6.0f/s acked %6.0f/s delivered %6.0f/s | ack p50 %7.2f p99 %8.2f ms"
                    + " | e2e p50 %7.2f p99 %8.2f ms | outstanding %d | open %d/%d | errors %d%s"
                    + " | tool: send lag p99 %.2f ms, cpu %.2f (jit %.2f)%s%n",
                    seconds, label, t.offeredRate(), t.ackRate(), t.deliveryRate(), t.ackP50(), t.ackP99(), t.e2eP50(),
                    t.e2eP99(), t.outstanding(), t.openConnections(), connections.size(), errorCount(),
                    kills.isEmpty() ? "" : " | kills " + kills.size(), t.sendLagP99(), t.toolCpu(), t.toolJitCpu(),
                    Double.isNaN(t.serverCpu()) ? "" : String.format(Locale.ROOT,
                            " | server cpu %.2f (jit %.2f, gc %.2f, writer %.2f)", t.serverCpu(), t.serverJitCpu(),
                            t.serverGcCpu(), t.serverWriterCpu()));
        }
    }

    long errorCount() {
        long n = 0;
        for (LongAdder a : errors.values()) {
            n += a.sum();
        }
        return n;
    }

    /** Seconds since {@link #start}. */
    double elapsed() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
