package chatapp.chat;

import chatapp.core.ChatAppException;
import chatapp.core.CursorCodec;
import chatapp.core.Page;
import chatapp.core.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Search in one conversation or across all of the caller's (docs/api.md, "Search"; issue 21).
 * Whoever may read a conversation's history may search it: any participant, whatever its consent
 * (the same rule as {@link ChatService#history}); a stranger gets 404 as for history. What a query
 * is and what matches is {@link SearchQuery}; the store finds the messages
 * ({@link ChatStore#search}); this class validates, limits, signs the cursor and marks the
 * matches. Search is charged per account (docs/security.md, "Limits").
 */
public final class MessageSearch {

    /** Searches per minute per account, on average, and at once (docs/security.md). */
    public static final int PER_MINUTE = 60;
    public static final int BURST = 30;
    /** The longest cursor a search accepts: DynamoDB's carries a position per conversation. */
    static final int MAX_CURSOR = 8192;

    private final ChatStore store;
    private final ChatService chat;
    private final CursorCodec cursors;
    private final RateLimiter limiter;
    private final RateLimiter.Limit limit = RateLimiter.Limit.steady("search", PER_MINUTE, Duration.ofMinutes(1),
            BURST, "too many searches from your account");

    /**
     * @param chat who takes part in which conversation
     * @param limiter the shape's limiter; null for no limit (tools and tests)
     */
    public MessageSearch(ChatStore store, ChatService chat, CursorCodec cursors, RateLimiter limiter) {
        this.store = Objects.requireNonNull(store);
        this.chat = Objects.requireNonNull(chat);
        this.cursors = Objects.requireNonNull(cursors);
        this.limiter = limiter;
    }

    /**
     * A page of the caller's messages matching {@code q}: in {@code conversationId}, or across
     * every conversation of theirs if it is null; newest first (see {@link ChatStore#search}).
     * A page may hold fewer than {@code limit} hits, even none, while {@code nextCursor} is not
     * null: the store stopped at its read budget; follow the cursor to go on.
     *
     * @param limit 1..100, null for 50
     * @throws ChatAppException 429 {@code rate_limited} over the account's search limit (checked
     *     first); 400 {@code validation_failed} for a bad {@code q} ({@link SearchQuery#parse}) or
     *     limit; 400 {@code bad_cursor} for a cursor of another search, list or user; 404 if the
     *     caller is not a participant of {@code conversationId}
     */
    public Page<SearchHit> search(String userId, String conversationId, String q, Integer limit, String cursor) {
        if (limiter != null) {
            limiter.take(userId, this.limit);
        }
        SearchQuery query = SearchQuery.parse(q);
        int size = Page.limit(limit);
        if (conversationId != null) {
            chat.peerIn(userId, conversationId); // 404 for a stranger, as history
        }
        String scope = "search:" + userId + ":" + (conversationId == null ? "" : conversationId) + ":"
                + query.canonical();
        String position = cursors.decode(scope, cursor, MAX_CURSOR);
        Page<Message> page = store.search(userId, conversationId, query, size, position);
        List<SearchHit> hits = new ArrayList<>(page.items().size());
        for (Message m : page.items()) {
            String peer = m.senderId().equals(userId) ? m.recipientId() : m.senderId();
            hits.add(new SearchHit(m, peer, query.matchesIn(m.content().value())));
        }
        return new Page<>(hits, cursors.encode(scope, page.nextCursor()));
    }
}
