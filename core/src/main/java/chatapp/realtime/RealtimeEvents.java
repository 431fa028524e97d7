package chatapp.realtime;

import chatapp.chat.ChatEvent;
import chatapp.chat.ChatService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who hears about what (API.md, "Server to client"), the same for both real-time shapes: turns
 * chat events, presence changes and typing into frames for {@link FanOut}.
 *
 * <p>The connection that caused an event (a {@code send} or {@code read} frame) is left out of
 * that event's fan-out: it gets an {@code ack} instead, or nothing. The event names it
 * ({@link ChatEvent#originConnectionId()}), so this holds however the events are delivered.
 * Events from REST calls have no such connection and reach all of the user's connections.
 */
public final class RealtimeEvents {

    private final FanOut fanOut;
    private final ChatService chat;

    public RealtimeEvents(FanOut fanOut, ChatService chat) {
        this.fanOut = Objects.requireNonNull(fanOut);
        this.chat = Objects.requireNonNull(chat);
    }

    /**
     * A chat event, after its write is durable: {@code message} to every connection of the
     * recipient and the sender's other connections; {@code read} to every connection of the
     * peer and the reader's other connections; {@code delivered} to every connection of the
     * sender (the recipient's other devices need not know); {@code message_edited} and
     * {@code message_deleted} to every connection of both; {@code conversation} (each user's own
     * view) to every connection of both participants.
     */
    public void on(ChatEvent event) {
        String origin = event.originConnectionId();
        switch (event) {
            case ChatEvent.MessageStored stored -> {
                ServerFrame frame = new ServerFrame.NewMessage(stored.message());
                fanOut.deliver(stored.message().recipientId(), frame, null);
                fanOut.deliver(stored.message().senderId(), frame, origin);
            }
            case ChatEvent.MessagesRead read -> {
                ServerFrame frame = new ServerFrame.Read(read.conversationId(), read.readerId(), read.upToMessageId(),
                        read.readAt());
                fanOut.deliver(read.peerId(), frame, null);
                fanOut.deliver(read.readerId(), frame, origin);
            }
            case ChatEvent.MessagesDelivered delivered -> fanOut.deliver(delivered.peerId(),
                    new ServerFrame.Delivered(delivered.conversationId(), delivered.recipientId(),
                            delivered.upToMessageId(), delivered.deliveredAt()), null);
            case ChatEvent.MessageEdited edited -> {
                ServerFrame frame = new ServerFrame.MessageEdited(edited.message());
                fanOut.deliver(edited.message().recipientId(), frame, null);
                fanOut.deliver(edited.message().senderId(), frame, null);
            }
            case ChatEvent.MessageDeleted deleted -> {
                ServerFrame frame = new ServerFrame.MessageDeleted(deleted.message());
                fanOut.deliver(deleted.message().recipientId(), frame, null);
                fanOut.deliver(deleted.message().senderId(), frame, null);
            }
            case ChatEvent.ConversationRemoved removed ->
                    fanOut.deliver(removed.userId(), new ServerFrame.ConversationRemoved(removed.conversationId()), null);
            case ChatEvent.ConversationChanged changed -> {
                fanOut.deliver(changed.userId(), ServerFrame.Conversation.of(changed.forUser()), null);
                fanOut.deliver(changed.peerId(), ServerFrame.Conversation.of(changed.forPeer()), null);
            }
        }
    }

    /**
     * {@code userId}'s first connection opened ({@code online}) or last one closed, at
     * {@code at}: tells every user who shares a conversation with them.
     */
    public void presence(String userId, boolean online, Instant at) {
        ServerFrame frame = new ServerFrame.Presence(userId, online, at);
        for (String peer : chat.peers(userId)) {
            fanOut.deliver(peer, frame, null);
        }
    }

    /**
     * What a new connection of {@code userId} learns right after {@code hello} (docs/protocol.md,
     * "Who gets what"): one {@code presence} online for each peer online now.
     *
     * @param onlineSince since when a user is online, empty if not: each shape knows where its
     *     sockets are (the built-in gateway in memory, API Gateway from the connection records)
     */
    public List<ServerFrame> onlinePeers(String userId, Function<String, Optional<Instant>> onlineSince) {
        List<ServerFrame> online = new ArrayList<>();
        for (String peer : chat.peers(userId)) {
            onlineSince.apply(peer).ifPresent(since -> online.add(new ServerFrame.Presence(peer, true, since)));
        }
        return online;
    }

    /**
     * A session ended (docs/security.md, "Sessions"): every connection bound to it is closed
     * with {@link CloseReason#SESSION_ENDED}, in whichever shape runs.
     */
    public void sessionEnded(String userId, String sessionId) {
        fanOut.disconnect(userId, sessionId, CloseReason.SESSION_ENDED);
    }

    /**
     * A connection opened past the user's cap: the oldest ones, from
     * {@link Connections#beyondCap}, are closed with {@link CloseReason#TOO_MANY_CONNECTIONS}.
     */
    public void overCap(List<WebSocketConnection> oldest) {
        oldest.forEach(c -> fanOut.disconnect(c, CloseReason.TOO_MANY_CONNECTIONS));
    }

    /**
     * {@code userId} is typing in {@code conversationId}: tells the peer. Not stored.
     *
     * @throws chatapp.core.ChatAppException 404 if the conversation is not the user's; 409
     *     {@code conflict} if it is not accepted (nothing is delivered)
     */
    public void typing(String userId, String conversationId) {
        fanOut.deliver(chat.acceptedPeerIn(userId, conversationId), new ServerFrame.Typing(conversationId, userId),
                null);
    }
}
