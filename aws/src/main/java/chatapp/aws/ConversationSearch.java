package chatapp.aws;

import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.Message;
import chatapp.chat.SearchQuery;
import chatapp.core.Page;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Search on DynamoDB (docs/data-model.md, "Search"; docs/decisions/0046-search.md): DynamoDB has
 * no full-text index, and a scan is never allowed, so the caller's conversations (their inbox
 * rows, by key) are read newest first, each by its key range, and every text message is matched
 * in Java with {@link SearchQuery#matches}. The conversations are merged newest first (by
 * createdAt, conversation id, message id, as {@link ChatStore#search} orders them), reading a
 * conversation only when its next message could be the newest one left: each inbox row says when
 * its newest message came, and a conversation read down to time t cannot hold anything newer.
 *
 * <p>A request reads at most {@link #READ_BUDGET} message items, then stops and returns a position
 * that continues the merge: the last message passed and, per conversation read so far, the
 * sequence number below which it is unread and the time of its next message at the latest (or that
 * it is done). Conversations are named in it by the shortest prefix of their id (8 characters at
 * least) that no other conversation of the user shares. A conversation the position does not name
 * is read from its newest message, skipping whatever sorts before the last message passed, so a
 * position that names too little costs reads, never results.
 */
final class ConversationSearch {

    /** Message items read per request at most (each Query page is counted as it is read). */
    static final int READ_BUDGET = 1000;
    /** The first Query page of a conversation in a request; it doubles up to {@link #MAX_PAGE}. */
    static final int FIRST_PAGE = 20;
    static final int MAX_PAGE = 100;
    static final int PREFIX = 8;

    /** Where a message sorts in results; {@link #FIRST} puts the newest first. */
    record Key(long at, String conversationId, String messageId) {
        static Key of(Message m) {
            return new Key(m.createdAt().toEpochMilli(), m.conversationId(), m.messageId());
        }
    }

    static final Comparator<Key> FIRST = Comparator.comparingLong(Key::at)
            .thenComparing(Key::conversationId)
            .thenComparing(Key::messageId)
            .reversed();

    /** The id part that sorts after every message id of a conversation (a bound before its newest). */
    private static final String ABOVE = "~";

    private final Messages messages;
    private final Inboxes inboxes;
    private final int budget;

    ConversationSearch(Messages messages, Inboxes inboxes) {
        this(messages, inboxes, READ_BUDGET);
    }

    /** @param budget message items read per request at most (tests use small ones) */
    ConversationSearch(Messages messages, Inboxes inboxes, int budget) {
        this.messages = messages;
        this.inboxes = inboxes;
        this.budget = budget;
    }

    /** One conversation in the merge. */
    private static final class Stream {
        final String conversationId;
        /** Sorts at or before its next unconsumed message. */
        Key ceiling;
        /** Every message with this sequence or above is consumed; null: none yet. */
        Long consumedBelow;
        /** The next read starts below this sequence; null: at the newest. */
        Long readBelow;
        final ArrayDeque<Message> buffer = new ArrayDeque<>();
        boolean exhausted;
        boolean named;
        /** Read from its newest message in a search that goes on: skips what sorts before the last one passed. */
        boolean skipPassed;
        int page = FIRST_PAGE;

        Stream(String conversationId, Key ceiling) {
            this.conversationId = conversationId;
            this.ceiling = ceiling;
        }
    }

    Page<Message> search(String userId, String conversationId, SearchQuery query, int limit, String position) {
        List<Inboxes.Head> heads = conversationId != null
                ? inboxes.head(userId, conversationId).map(List::of).orElse(List.of())
                : inboxes.heads(userId);
        Map<String, String> prefixes = prefixes(heads);
        Key last = null;
        Map<String, String> named = new HashMap<>();
        if (position != null) {
            int bar = position.indexOf('|');
            String threshold = position.substring(0, bar);
            if (!threshold.equals("-")) {
                String[] p = threshold.split(":", 3);
                last = new Key(Long.parseLong(p[0]), p[1], p[2]);
            }
            for (String entry : position.substring(bar + 1).split(",")) {
                if (entry.isEmpty()) {
                    continue;
                }
                String prefix = entry.substring(0, entry.indexOf('.'));
                List<Inboxes.Head> match = heads.stream().filter(h -> h.conversationId().startsWith(prefix)).toList();
                if (match.size() == 1) { // else unknown or ambiguous: read from the newest, at a cost only
                    named.put(match.getFirst().conversationId(), entry.substring(prefix.length() + 1));
                }
            }
        }
        PriorityQueue<Stream> queue = new PriorityQueue<>(Comparator.comparing((Stream s) -> s.ceiling, FIRST));
        List<Stream> done = new ArrayList<>();
        for (Inboxes.Head head : heads) {
            String state = named.get(head.conversationId());
            if (state == null) {
                if (head.lastMessageId() != null) {
                    Stream s = new Stream(head.conversationId(),
                            new Key(head.updatedAt().toEpochMilli(), head.conversationId(), ABOVE));
                    s.skipPassed = last != null;
                    queue.add(s);
                }
            } else if (state.equals("x")) {
                Stream s = new Stream(head.conversationId(), null);
                s.named = true;
                done.add(s);
            } else {
                String[] p = state.split("\\.");
                long below = Long.parseLong(p[0], 36);
                Stream s = new Stream(head.conversationId(), new Key(Long.parseLong(p[1], 36), head.conversationId(),
                        below == 0 ? ABOVE : sequenceBound(below)));
                s.consumedBelow = below == 0 ? null : below;
                s.readBelow = s.consumedBelow;
                s.skipPassed = below == 0 && last != null; // read from its newest again: skip messages sent since
                s.named = true;
                queue.add(s);
            }
        }
        int budget = this.budget;
        List<Message> found = new ArrayList<>();
        boolean more = false;
        while (!queue.isEmpty()) {
            Stream s = queue.poll();
            if (s.buffer.isEmpty()) {
                if (s.exhausted) {
                    done.add(s);
                    continue;
                }
                if (budget < 1) {
                    queue.add(s);
                    more = true;
                    break;
                }
                Messages.Read read = messages.newestBelow(s.conversationId, s.readBelow, Math.min(s.page, budget));
                budget -= Math.max(1, read.itemsRead());
                s.page = Math.min(MAX_PAGE, s.page * 2);
                s.named = true;
                s.buffer.addAll(read.messages());
                s.exhausted = !read.more();
                if (!read.messages().isEmpty()) {
                    s.readBelow = ChatStore.sequenceOf(read.messages().getLast().messageId());
                    s.ceiling = Key.of(s.buffer.peek());
                }
                queue.add(s);
                continue;
            }
            Message m = s.buffer.peek();
            Key k = Key.of(m);
            // a stream resumed by its sequence needs no time filter (within, ids are the order)
            boolean hit = (!s.skipPassed || FIRST.compare(k, last) > 0)
                    && Content.TEXT.equals(m.content().contentType()) && query.matches(m.content().value());
            if (hit && found.size() == limit) {
                queue.add(s); // one more exists: the page is full and the cursor goes on from here
                more = true;
                break;
            }
            s.buffer.poll();
            s.consumedBelow = ChatStore.sequenceOf(m.messageId());
            if (last == null || FIRST.compare(k, last) > 0) {
                last = k;
            }
            if (hit) {
                found.add(m);
            }
            s.ceiling = s.buffer.isEmpty() ? k : Key.of(s.buffer.peek());
            queue.add(s);
        }
        if (!more) {
            return new Page<>(found, null);
        }
        StringBuilder next = new StringBuilder(last == null ? "-"
                : last.at() + ":" + last.conversationId() + ":" + last.messageId()).append('|');
        boolean first = true;
        for (Stream s : done) {
            if (s.named) {
                next.append(first ? "" : ",").append(prefixes.get(s.conversationId)).append(".x");
                first = false;
            }
        }
        for (Stream s : queue) {
            if (s.named) {
                next.append(first ? "" : ",").append(prefixes.get(s.conversationId)).append('.')
                        .append(Long.toString(s.consumedBelow == null ? 0 : s.consumedBelow, 36)).append('.')
                        .append(Long.toString(s.ceiling.at(), 36));
                first = false;
            }
        }
        return new Page<>(found, next.toString());
    }

    /** The id part just above every message of a lower sequence than {@code sequence}. */
    private static String sequenceBound(long sequence) {
        String digits = Long.toString(sequence);
        return "0".repeat(Math.max(0, ChatStore.SEQUENCE_DIGITS - digits.length())) + digits;
    }

    /** Each conversation's shortest id prefix, {@link #PREFIX} characters at least, that no other one shares. */
    private static Map<String, String> prefixes(List<Inboxes.Head> heads) {
        Map<String, String> prefixes = new HashMap<>();
        for (Inboxes.Head h : heads) {
            String id = h.conversationId();
            int length = Math.min(PREFIX, id.length());
            while (length < id.length()) {
                String candidate = id.substring(0, length);
                if (heads.stream().noneMatch(o -> o != h && o.conversationId().startsWith(candidate))) {
                    break;
                }
                length++;
            }
            prefixes.put(id, id.substring(0, length));
        }
        return prefixes;
    }
}
