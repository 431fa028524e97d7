package chatapp.importing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an import took and what it refused, and why (issue 23): counters such as
 * {@code users.created} or {@code messages.refused}, one {@link Refusal} per refused row, and
 * the mapping from the prototype's user ids to ChatApp's. Written as JSON and summed up in a few
 * lines; neither holds a message's text, a password, an email or a media URL.
 */
public final class ImportReport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One refused row.
     *
     * @param table {@code users}, {@code chats} or {@code media}
     * @param where the row's place in the source
     * @param key the row's key in the prototype ({@code userId}; {@code chatId/timestamp}), null if unknown
     */
    public record Refusal(String table, String where, String key, String reason) {
    }

    private final Map<String, Long> counts = new TreeMap<>();
    private final List<Refusal> refused = new ArrayList<>();
    private final Map<String, String> userIds = new TreeMap<>();
    private String source;
    private Instant startedAt;
    private Instant finishedAt;
    private boolean resumed;

    /** Adds {@code n} to counter {@code name}, e.g. {@code messages.created}. */
    void count(String name, long n) {
        counts.merge(name, n, Long::sum);
    }

    void add(String name) {
        count(name, 1);
    }

    void refuse(String table, String where, String key, String reason) {
        refused.add(new Refusal(table, where, key, reason));
        add(table + ".refused");
    }

    void mapUser(String prototypeUserId, String userId) {
        userIds.put(prototypeUserId, userId);
    }

    void started(String source, Instant at, boolean resumed) {
        this.source = source;
        this.startedAt = at;
        this.resumed = resumed;
    }

    void finished(Instant at) {
        this.finishedAt = at;
    }

    /** Adds another report's counters and refusals to this one's. */
    void add(ImportReport other) {
        other.counts.forEach(this::count);
        refused.addAll(other.refused);
    }

    /** Counter {@code name}; 0 if never counted. */
    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /** Every refused row, in the order met. */
    public List<Refusal> refused() {
        return List.copyOf(refused);
    }

    /** The prototype's user id to ChatApp's, for every account imported now or before. */
    public Map<String, String> userIds() {
        return Map.copyOf(userIds);
    }

    /** The report as one JSON document (counters grouped by table, refusals, id mapping). */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("source", source);
        root.put("startedAt", startedAt == null ? null : startedAt.toString());
        root.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        root.put("resumed", resumed);
        root.set("counts", countsJson());
        var list = root.putArray("refused");
        for (Refusal r : refused) {
            list.add(refusalJson(r));
        }
        var ids = root.putObject("userIds");
        userIds.forEach(ids::put);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /** A few lines for the operator: the counters, then how many rows were refused for each reason. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        Map<String, Map<String, Long>> groups = groups();
        groups.forEach((table, c) -> {
            StringBuilder line = new StringBuilder(String.format("%-13s", table));
            c.forEach((k, v) -> line.append(' ').append(k).append(' ').append(v).append(','));
            line.setLength(line.length() - 1);
            lines.add(line.toString());
        });
        Map<String, Long> reasons = new LinkedHashMap<>();
        refused.forEach(r -> reasons.merge(r.table() + ": " + r.reason(), 1L, Long::sum));
        reasons.forEach((reason, n) -> lines.add("refused " + n + " x " + reason));
        return lines;
    }

    private Map<String, Map<String, Long>> groups() {
        Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
        for (String table : List.of("users", "conversations", "messages", "media")) {
            counts.forEach((name, n) -> {
                if (name.startsWith(table + ".")) {
                    groups.computeIfAbsent(table, t -> new TreeMap<>()).put(name.substring(table.length() + 1), n);
                }
            });
        }
        return groups;
    }

    private ObjectNode countsJson() {
        ObjectNode node = JSON.createObjectNode();
        groups().forEach((table, c) -> {
            ObjectNode t = node.putObject(table);
            c.forEach(t::put);
        });
        return node;
    }

    private static ObjectNode refusalJson(Refusal r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("table", r.table());
        n.put("where", r.where());
        n.put("key", r.key());
        n.put("reason", r.reason());
        return n;
    }

    /** The counters and refusals as JSON, to carry over a checkpoint. */
    ObjectNode tallyJson() {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode c = n.putObject("counts");
        counts.forEach(c::put);
        var list = n.putArray("refused");
        refused.forEach(r -> list.add(refusalJson(r)));
        return n;
    }

    /** A report holding the counters and refusals of {@link #tallyJson()}. */
    static ImportReport fromTally(JsonNode n) {
        ImportReport r = new ImportReport();
        if (n == null) {
            return r;
        }
        n.path("counts").properties().forEach(e -> r.count(e.getKey(), e.getValue().asLong()));
        n.path("refused").values().forEach(x -> r.refused.add(new Refusal(x.path("table").asString(null),
                x.path("where").asString(null), x.path("key").asString(null), x.path("reason").asString(null))));
        return r;
    }
}
