package chatapp.realtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One connection's answers, handed to the transport in the order of the frames they answer
 * (docs/protocol.md: acks and errors come in frame order), while up to {@code window} of its
 * sends are in flight at once ({@link FrameHandler#handle(WebSocketConnection, String, Answers,
 * java.util.function.BooleanSupplier)}): an answer that is ready waits for those of earlier frames.
 * When {@code window} sends are in flight, the next send waits for room, so the transport's
 * reading of the connection waits with it (back-pressure: nothing is dropped, nothing is
 * buffered without bound). Thread-safe; the transport makes one per connection.
 */
public final class Answers {

    /** docs/protocol.md: at most this many sends of one connection are in flight at once. */
    public static final int WINDOW = 32;

    private final int window;
    private final Consumer<String> reply;
    private final Supplier<Executor> context;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final Condition answered = lock.newCondition();
    /** Answers (and actions) not yet handed over, in frame order. */
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /** Sends in flight: their entries are in {@link #queue}. */
    private int sends;
    /** A thread is handing answers over; others only queue theirs (keeps the order). */
    private boolean handing;
    private boolean closed;
    /** "conversationId clientMessageId" of the sends in flight, to their outcome. */
    private final Map<String, CompletableFuture<?>> inFlight = new HashMap<>();

    /**
     * @param window at most this many sends in flight ({@link #WINDOW}; 1 answers one frame at a time)
     * @param reply how the transport sends a frame (JSON text) to the connection; called in frame
     *     order, by one thread at a time (the frame's, or the one that completes a write)
     * @param context called on the frame's thread for each send; the executor it gives runs the
     *     work after that send's commit at once, in the frame's logging context (a request id);
     *     {@code () -> Runnable::run} for none
     * @throws IllegalArgumentException if {@code window} is below 1
     */
    public Answers(int window, Consumer<String> reply, Supplier<Executor> context) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1");
        }
        this.window = window;
        this.reply = Objects.requireNonNull(reply);
        this.context = Objects.requireNonNull(context);
    }

    /** {@link #Answers(int, Consumer, Supplier)} without a logging context. */
    public Answers(int window, Consumer<String> reply) {
        this(window, reply, () -> Runnable::run);
    }

    /** One answer's place in the order. */
    static final class Entry {
        private String text;
        private Runnable action;
        private boolean ready;
        private final boolean send;

        private Entry(boolean send) {
            this.send = send;
        }
    }

    /**
     * Runs {@code action} once the answers to every frame so far are handed over (at once when
     * none is pending), in order with them: how a transport closes a connection after its
     * in-flight sends are answered, or times a frame. Dropped once {@link #close closed}.
     */
    public void afterPending(Runnable action) {
        Entry e = new Entry(false);
        e.action = Objects.requireNonNull(action);
        e.ready = true;
        if (enqueue(e)) {
            handOver();
        }
    }

    /**
     * The connection is gone: answers not yet handed over are dropped, a send waiting for room
     * is not made, and every later frame's answer is dropped.
     */
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            sends = 0;
            room.signalAll();
            answered.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sends in flight (a metric; for tests). */
    public int sendsInFlight() {
        lock.lock();
        try {
            return sends;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every answer so far is handed over (or the answers are closed).
     *
     * @throws IllegalStateException if interrupted
     */
    public void awaitAnswered() {
        lock.lock();
        try {
            while (!closed && (!queue.isEmpty() || handing)) {
                answered.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for answers", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Answers a frame now, in order behind the sends in flight (the frame handler's answers, and
     * a transport's own, such as its answer to a binary frame). Dropped once closed.
     */
    public void answer(String text) {
        Entry e = new Entry(false);
        e.text = text;
        e.ready = true;
        if (enqueue(e)) {
            handOver();
        }
    }

    /**
     * A place for a send's answer, after waiting for room in the window; null once closed (the
     * send is then not made).
     */
    Entry reserveSend() {
        lock.lock();
        try {
            while (!closed && sends >= window) {
                room.awaitUninterruptibly();
            }
            if (closed) {
                return null;
            }
            Entry e = new Entry(true);
            queue.add(e);
            sends++;
            return e;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a reserved send its answer; hands over what is now in order. */
    void complete(Entry e, String text) {
        lock.lock();
        try {
            e.text = text;
            e.ready = true;
        } finally {
            lock.unlock();
        }
        handOver();
    }

    /** The frame's logging context for the work after its commit. */
    Executor context() {
        return context.get();
    }

    /**
     * The outcome of the send of {@code key} in flight on this connection, if there is one; else
     * records {@code outcome} as it (removed once it completes) and returns null.
     */
    CompletableFuture<?> inFlight(String key, CompletableFuture<?> outcome) {
        lock.lock();
        try {
            CompletableFuture<?> earlier = inFlight.get(key);
            if (earlier != null && !earlier.isDone()) {
                return earlier;
            }
            inFlight.put(key, outcome); // replaces one that completed and is yet to remove itself
        } finally {
            lock.unlock();
        }
        outcome.whenComplete((x, error) -> {
            lock.lock();
            try {
                inFlight.remove(key, outcome);
            } finally {
                lock.unlock();
            }
        });
        return null;
    }

    private boolean enqueue(Entry e) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            queue.add(e);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands over every answer that is ready and in order; one thread at a time, the others leave
     * theirs to it. {@code reply} and actions run outside the lock.
     */
    private void handOver() {
        while (true) {
            Entry next;
            lock.lock();
            try {
                if (handing) {
                    return;
                }
                next = queue.peek();
                if (next == null || !next.ready || closed) {
                    answered.signalAll();
                    return;
                }
                queue.poll();
                if (next.send) {
                    sends--;
                    room.signal();
                }
                handing = true;
            } finally {
                lock.unlock();
            }
            try {
                if (next.text != null) {
                    reply.accept(next.text);
                } else if (next.action != null) {
                    next.action.run();
                }
            } finally {
                lock.lock();
                try {
                    handing = false;
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
