package chatapp.server.realtime;

import chatapp.realtime.CloseReason;
import chatapp.realtime.FanOut;
import chatapp.realtime.Frames;
import chatapp.realtime.ServerFrame;
import chatapp.realtime.WebSocketConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.springframework.web.socket.CloseStatus;

/**
 * The built-in {@link FanOut}: the sockets this server holds, by user, delivered to in memory.
 * A frame is encoded once and queued on each connection (never blocking on a slow one). Knows
 * exactly when a user's first connection opens and last one closes (presence). Closes only the
 * sockets of this node: other nodes close those of an ended session by their own heartbeat
 * ({@link Gateway}), and a connection over the per-user cap held by another node stays open
 * (the cap holds per node there; docs/protocol.md).
 */
final class BuiltinFanOut implements FanOut {

    private final Frames frames;
    /** userId to that user's open connections on this node; lists are replaced, never changed. */
    private final ConcurrentHashMap<String, List<LiveConnection>> byUser = new ConcurrentHashMap<>();

    /** Frames queued so far (the metric {@code chatapp.fanout.frames}). */
    private final LongAdder delivered = new LongAdder();

    BuiltinFanOut(Frames frames) {
        this.frames = frames;
    }

    @Override
    public void deliver(String userId, ServerFrame frame, String exceptConnectionId) {
        List<LiveConnection> targets = byUser.get(userId);
        if (targets == null) {
            return;
        }
        String text = null;
        for (LiveConnection c : targets) {
            if (!c.connectionId.equals(exceptConnectionId)) {
                if (text == null) {
                    text = frames.encode(frame);
                }
                c.send(text);
                delivered.increment();
            }
        }
    }

    @Override
    public void disconnect(String userId, String sessionId, CloseReason reason) {
        List<LiveConnection> list = byUser.get(userId);
        if (list != null) {
            list.stream().filter(c -> sessionId.equals(c.record.sessionId())).forEach(c -> c.closeAfterDrain(status(reason)));
        }
    }

    @Override
    public void disconnect(WebSocketConnection connection, CloseReason reason) {
        List<LiveConnection> list = byUser.get(connection.userId());
        if (list != null) {
            list.stream().filter(c -> c.connectionId.equals(connection.connectionId()))
                    .forEach(c -> c.closeAfterDrain(status(reason)));
        }
    }

    /** The close frame of a reason (docs/protocol.md, "Limits and close codes"). */
    static CloseStatus status(CloseReason reason) {
        return new CloseStatus(reason.code(), reason.reason());
    }

    /** Adds an open connection; true if it is the user's first on this node. */
    boolean add(LiveConnection c) {
        boolean[] first = {false};
        byUser.compute(c.userId, (user, list) -> {
            if (list == null) {
                first[0] = true;
                return List.of(c);
            }
            List<LiveConnection> more = new ArrayList<>(list.size() + 1);
            more.addAll(list);
            more.add(c);
            return List.copyOf(more);
        });
        return first[0];
    }

    /** Removes a closed connection; true if it was the user's last on this node. */
    boolean remove(LiveConnection c) {
        boolean[] last = {false};
        boolean[] removed = {false};
        byUser.computeIfPresent(c.userId, (user, list) -> {
            if (!list.contains(c)) {
                return list;
            }
            removed[0] = true;
            if (list.size() == 1) {
                last[0] = true;
                return null;
            }
            List<LiveConnection> fewer = new ArrayList<>(list);
            fewer.remove(c);
            return List.copyOf(fewer);
        });
        return removed[0] && last[0];
    }

    /** Since when {@code userId} has been online on this node (their oldest open connection), if they are. */
    Optional<Instant> onlineSince(String userId) {
        List<LiveConnection> list = byUser.get(userId);
        return list == null ? Optional.empty() : Optional.of(list.getFirst().record.connectedAt());
    }

    /** Runs {@code action} on every open connection. */
    void forEach(Consumer<LiveConnection> action) {
        for (List<LiveConnection> list : byUser.values()) {
            list.forEach(action);
        }
    }

    /** The open connections, a snapshot. */
    Collection<LiveConnection> all() {
        List<LiveConnection> all = new ArrayList<>();
        forEach(all::add);
        return all;
    }

    /** How many frames the fan-out has queued since the start. */
    long delivered() {
        return delivered.sum();
    }

    /** How many connections are open. */
    int size() {
        int n = 0;
        for (List<LiveConnection> list : byUser.values()) {
            n += list.size();
        }
        return n;
    }
}
