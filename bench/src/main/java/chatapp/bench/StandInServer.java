package chatapp.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for ChatApp's WebSocket endpoint on a loopback port, used only to warm the tool's own
 * code before it measures (docs/load-tool.md, "The tool's own warm-up"): it speaks just enough of
 * RFC 6455 and of protocol.md for the tool's connections: the handshake, {@code hello}, and for each
 * {@code send} an {@code ack} to the sender and a {@code message} to the other user of the
 * conversation, in the server's shapes. It stores nothing and checks nothing. Each socket names its
 * user and conversation in the query ({@code ?user=...&conversation=...}), since there are no
 * tickets here.
 */
final class StandInServer implements AutoCloseable {

    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket listener;
    private final Map<String, List<Peer>> conversations = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    private record Peer(String userId, OutputStream out) {
    }

    private StandInServer() throws IOException {
        listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("stand-in-accept").start(this::accept);
    }

    /** Starts listening on a free loopback port. */
    static StandInServer start() throws IOException {
        return new StandInServer();
    }

    /** The WebSocket URL of one user in one conversation. */
    URI url(String userId, String conversationId) {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws?user=" + userId + "&conversation="
                + conversationId);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                Thread.ofVirtual().name("stand-in").start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        String user = null;
        String conversation = null;
        Peer me = null;
        try (socket) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            OutputStream out = socket.getOutputStream();
            String key = null;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                if (line.startsWith("GET ")) {
                    URI uri = URI.create(line.split(" ")[1]);
                    for (String p : uri.getQuery().split("&")) {
                        String[] kv = p.split("=", 2);
                        if (kv[0].equals("user")) {
                            user = kv[1];
                        } else if (kv[0].equals("conversation")) {
                            conversation = kv[1];
                        }
                    }
                } else if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII)));
            synchronized (out) {
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            me = new Peer(user, out);
            conversations.computeIfAbsent(conversation, c -> new CopyOnWriteArrayList<>()).add(me);
            write(out, 0x1, "{\"type\":\"hello\",\"connectionId\":\"stand-in-" + ids.incrementAndGet() + "\"}");
            while (!closed) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((b1 & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                int opcode = b0 & 0x0f;
                if (opcode == 0x8) {
                    write(out, 0x8, payload);
                    return;
                }
                if (opcode == 0x1) {
                    answer(conversation, me, new String(payload, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            // the tool closed the socket, or the stand-in is closing
        } finally {
            if (me != null) {
                List<Peer> peers = conversations.get(conversation);
                if (peers != null) {
                    peers.remove(me);
                }
            }
        }
    }

    /** A {@code send} gets an ack (to the sender) and a message (to the other user), as the server's. */
    private void answer(String conversation, Peer sender, String frame) throws IOException {
        String clientMessageId = field(frame, "clientMessageId");
        int content = frame.indexOf("\"content\":");
        if (clientMessageId == null || content < 0) {
            return;
        }
        Peer recipient = null;
        for (Peer p : conversations.getOrDefault(conversation, List.of())) {
            if (p != sender) {
                recipient = p;
            }
        }
        String message = "{\"messageId\":\"stand-in-" + ids.incrementAndGet() + "\",\"conversationId\":\"" + conversation
                + "\",\"senderId\":\"" + sender.userId() + "\",\"recipientId\":\""
                + (recipient == null ? "" : recipient.userId()) + "\",\"createdAt\":\"" + Instant.now() + "\","
                + frame.substring(content, frame.length() - 1) + ",\"clientMessageId\":\"" + clientMessageId
                + "\",\"readAt\":null,\"deliveredAt\":null,\"editedAt\":null,\"deletedAt\":null}";
        write(sender.out(), 0x1, "{\"type\":\"ack\",\"clientMessageId\":\"" + clientMessageId + "\",\"message\":" + message + "}");
        if (recipient != null) {
            write(recipient.out(), 0x1, "{\"type\":\"message\",\"message\":" + message + "}");
        }
    }

    private static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int from = json.indexOf(key);
        if (from < 0) {
            return null;
        }
        from += key.length();
        int to = json.indexOf('"', from);
        return to < 0 ? null : json.substring(from, to);
    }

    private static void write(OutputStream out, int opcode, String text) throws IOException {
        write(out, opcode, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One unmasked frame (a server's frames are not masked, RFC 6455 5.1). */
    private static void write(OutputStream out, int opcode, byte[] payload) throws IOException {
        byte[] header;
        if (payload.length < 126) {
            header = new byte[] {(byte) (0x80 | opcode), (byte) payload.length};
        } else if (payload.length < 65536) {
            header = new byte[] {(byte) (0x80 | opcode), 126, (byte) (payload.length >> 8), (byte) payload.length};
        } else {
            throw new IOException("frame too large for the stand-in");
        }
        synchronized (out) {
            out.write(header);
            out.write(payload);
            out.flush();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("closed during the handshake");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
