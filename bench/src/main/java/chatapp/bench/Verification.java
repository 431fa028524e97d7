package chatapp.bench;

import chatapp.bench.Pairs.Pair;
import chatapp.bench.Traffic.Send;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;

/**
 * The check after a run: reads every pair's conversation through the REST history (everything
 * after the position it had before the run, {@code ?after=} following {@code nextCursor}) and
 * compares it with what the tool sent and was acked. An acked message must be stored exactly once,
 * with the id the ack carried and the text that was sent, and must have reached its recipient
 * (live, or by the catch-up after a reconnect).
 */
final class Verification {

    /** A message as the history lists it. */
    record Stored(String messageId, String clientMessageId, String senderId, String recipientId, String text) {

        static Stored of(JsonNode m) {
            return new Stored(m.path("messageId").asString(), m.path("clientMessageId").asString(),
                    m.path("senderId").asString(), m.path("recipientId").asString(),
                    m.path("content").path("value").asString());
        }
    }

    /**
     * The outcome. {@code lost}: acked but not in the history. {@code duplicated}: extra copies of a
     * clientMessageId in the history (a user would see the message twice). {@code mismatched}: stored
     * under another id than the ack said, or with other text or participants. {@code undelivered}:
     * acked and stored but never reached the recipient. {@code outOfOrder}: history not in message-id
     * order. {@code storedUnacked}: stored although no ack came (allowed: the ack can be lost in a
     * crash). {@code neverAcked}: neither acked nor refused by the end.
     */
    record Verdict(long sent, long acked, long refused, long neverAcked, long storedOnce, long lost, long duplicated,
            long mismatched, long undelivered, long deliveredLive, long deliveredByCatchUp, long storedUnacked,
            long outOfOrder, long unexpected, List<String> examples) {

        /** Whether the promise held: nothing acked lost, nothing duplicated, everything acked delivered. */
        boolean clean() {
            return lost == 0 && duplicated == 0 && mismatched == 0 && undelivered == 0 && outOfOrder == 0 && unexpected == 0;
        }
    }

    private Verification() {
    }

    /** Reads the history of every pair's conversation since its baseline, 8 conversations at a time. */
    static Map<String, List<Stored>> read(Api api, List<Pair> pairs, Traffic traffic) throws Exception {
        Map<String, List<Stored>> history = new HashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            List<Future<List<Stored>>> futures = new ArrayList<>();
            for (Pair p : pairs) {
                futures.add(pool.submit(() -> api.messagesAfter(p.parent(), p.conversationId(), traffic.baseline(p.index()))
                        .stream().map(Stored::of).toList()));
            }
            for (int i = 0; i < pairs.size(); i++) {
                history.put(pairs.get(i).conversationId(), futures.get(i).get());
            }
        }
        return history;
    }

    /**
     * Compares the sends of run {@code run} with the history (each list oldest first). Messages of
     * other runs in the same conversations are ignored.
     */
    static Verdict check(Collection<Send> sends, Map<String, List<Stored>> history, String run) {
        Map<String, List<Stored>> byClientId = new HashMap<>();
        long outOfOrder = 0;
        String prefix = run + "-";
        for (List<Stored> conversation : history.values()) {
            String previous = null;
            for (Stored m : conversation) {
                if (previous != null && m.messageId().compareTo(previous) <= 0) {
                    outOfOrder++;
                }
                previous = m.messageId();
                if (m.clientMessageId().startsWith(prefix)) {
                    byClientId.computeIfAbsent(m.clientMessageId(), k -> new ArrayList<>()).add(m);
                }
            }
        }
        long acked = 0, refused = 0, neverAcked = 0, storedOnce = 0, lost = 0, duplicated = 0, mismatched = 0;
        long undelivered = 0, live = 0, byCatchUp = 0, storedUnacked = 0;
        List<String> examples = new ArrayList<>();
        for (Send s : sends) {
            List<Stored> copies = byClientId.remove(s.clientMessageId);
            int n = copies == null ? 0 : copies.size();
            if (n > 1) {
                duplicated += n - 1;
                example(examples, "duplicated: " + s.clientMessageId + " stored " + n + " times: " + copies);
            }
            if (!s.acked()) {
                if (s.error != null) {
                    refused++;
                } else {
                    neverAcked++;
                }
                if (n > 0) {
                    storedUnacked++;
                }
                continue;
            }
            acked++;
            if (n == 0) {
                lost++;
                example(examples, "lost: " + s.clientMessageId + " acked as " + s.messageId + " but not in the history");
                continue;
            }
            Stored m = copies.getFirst();
            if (!m.messageId().equals(s.messageId) || !m.text().equals(s.text) || !m.senderId().equals(s.senderId())
                    || !m.recipientId().equals(s.recipientId())) {
                mismatched++;
                example(examples, "mismatched: " + s.clientMessageId + " acked as " + s.messageId + ", stored as " + m);
            } else if (n == 1) {
                storedOnce++;
            }
            if (s.deliveredAt != 0) {
                live++;
            } else if (s.caughtUp) {
                byCatchUp++;
            } else {
                undelivered++;
                example(examples, "undelivered: " + s.clientMessageId + " (" + s.messageId + ") never reached "
                        + s.recipientId());
            }
        }
        long unexpected = byClientId.size();
        byClientId.keySet().stream().limit(3).forEach(k -> example(examples, "unexpected: " + k + " stored but never sent"));
        return new Verdict(sends.size(), acked, refused, neverAcked, storedOnce, lost, duplicated, mismatched, undelivered,
                live, byCatchUp, storedUnacked, outOfOrder, unexpected, List.copyOf(examples));
    }

    private static void example(List<String> examples, String line) {
        if (examples.size() < 10) {
            examples.add(line);
        }
    }
}
