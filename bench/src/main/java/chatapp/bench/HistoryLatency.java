package chatapp.bench;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.aws.DynamoChatStore;
import chatapp.aws.DynamoSettings;
import chatapp.aws.DynamoUserStore;
import chatapp.aws.Tables;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.Message;
import chatapp.core.CursorCodec;
import chatapp.core.Ids;
import chatapp.core.Page;
import chatapp.embedded.SqliteChatStore;
import chatapp.embedded.SqliteDatabase;
import chatapp.embedded.SqliteUserStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * History-page latency (issue 13): a conversation of 10^3 and one of 10^5 messages in a store
 * that also holds many other conversations, their messages interleaved as they would arrive.
 * Each sample is one {@code ChatService.history} call (participant check + one key-range read
 * of {@code limit + 1} messages), walking the conversation newest-first by cursor from the top
 * to the oldest page and again. If pages are key-range reads, both sizes cost the same.
 */
final class HistoryLatency {

    private HistoryLatency() {
    }

    static void run(Bench.Options options) throws Exception {
        String storeName = options.get("store", "sqlite");
        List<Integer> sizes = new ArrayList<>();
        for (String s : options.get("sizes", "1000,100000").split(",")) {
            sizes.add(Integer.parseInt(s.strip()));
        }
        int others = options.integer("others", 2_000);
        int otherSize = options.integer("other-size", 50);
        int samples = options.integer("samples", 20_000);
        int limit = options.integer("limit", 50);
        int warmup = options.integer("warmup", Math.max(1_000, samples / 4));

        UserStore users;
        ChatStore store;
        Consumer<List<Message>> importer;
        AutoCloseable closer;
        if (storeName.equals("sqlite")) {
            Path dir = Files.createTempDirectory("chatapp-bench");
            SqliteDatabase db = SqliteDatabase.open(dir.resolve("data"));
            SqliteChatStore sqlite = new SqliteChatStore(db);
            users = new SqliteUserStore(db);
            store = sqlite;
            importer = sqlite::importMessages;
            closer = () -> {
                db.close();
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            };
            System.out.println("store: SQLite file " + dir.resolve("data/chatapp.db"));
        } else if (storeName.equals("dynamodb")) {
            DynamoSettings settings = new DynamoSettings(Region.US_EAST_1, URI.create(options.get("endpoint",
                    "http://127.0.0.1:5000")), "bench-" + System.currentTimeMillis() + "-",
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
            DynamoDbClient client = settings.client();
            new Tables(client, settings).create();
            DynamoChatStore dynamo = new DynamoChatStore(client, settings);
            users = new DynamoUserStore(client, settings);
            store = dynamo;
            importer = dynamo::importMessages;
            closer = client;
            System.out.println("store: DynamoDB at " + settings.endpoint() + " (moto is not AWS: its latency "
                    + "is moto's, its scaling tells whether our reads are key ranges)");
        } else {
            throw new IllegalArgumentException("--store must be sqlite or dynamodb");
        }
        ChatService chat = new ChatService(store, users,
                new CursorCodec(Ids.randomToken(32).getBytes()), Clock.systemUTC(), e -> { });

        List<Conversation> targets = new ArrayList<>();
        for (int size : sizes) {
            targets.add(Conversation.open(chat, users, size));
        }
        List<Conversation> background = new ArrayList<>();
        for (int i = 0; i < others; i++) {
            background.add(Conversation.open(chat, users, otherSize));
        }
        long seedStart = System.nanoTime();
        long total = seed(importer, targets, background);
        System.out.printf("seeded %,d messages (%d other conversations of %d, targets %s) in %.1f s%n",
                total, others, otherSize, sizes, (System.nanoTime() - seedStart) / 1e9);

        for (Conversation target : targets) {
            walk(chat, target, limit, warmup); // warm-up (JIT, caches) on every size first
        }
        Map<Integer, Histogram> results = new HashMap<>();
        for (Conversation target : targets) {
            Histogram h = walk(chat, target, limit, samples);
            results.put(target.size, h);
            System.out.printf("conversation of %,9d messages: %,d pages of %d: p50 %.3f ms, p90 %.3f ms, "
                            + "p99 %.3f ms, max %.3f ms%n", target.size, h.getTotalCount(), limit,
                    ms(h, 50), ms(h, 90), ms(h, 99), h.getMaxValue() / 1000.0);
        }
        if (sizes.size() >= 2) {
            Histogram small = results.get(sizes.getFirst());
            Histogram large = results.get(sizes.getLast());
            System.out.printf("ratio %,d / %,d messages: p50 %.2f, p99 %.2f%n", sizes.getLast(), sizes.getFirst(),
                    ms(large, 50) / ms(small, 50), ms(large, 99) / ms(small, 99));
        }
        closer.close();
    }

    /** Imports every conversation's messages in rounds, so that conversations interleave on disk. */
    private static long seed(Consumer<List<Message>> importer, List<Conversation> targets,
            List<Conversation> background) {
        List<Conversation> all = new ArrayList<>(targets);
        all.addAll(background);
        int rounds = 50;
        long total = 0;
        List<Message> batch = new ArrayList<>();
        Instant start = Instant.now().minusSeconds(86_400);
        for (int round = 0; round < rounds; round++) {
            for (Conversation c : all) {
                int upTo = (int) ((long) c.size * (round + 1) / rounds);
                while (c.seeded < upTo) {
                    c.seeded++;
                    batch.add(new Message(ChatStore.messageId(c.seeded), c.id, c.from.userId(), c.to.userId(),
                            start.plusMillis(c.seeded), Content.text("message " + c.seeded + " of a benchmark"),
                            null, "seed-" + c.seeded, null));
                }
            }
            if (batch.size() >= 20_000 || round == rounds - 1) {
                importer.accept(batch);
                total += batch.size();
                batch = new ArrayList<>();
            }
        }
        return total;
    }

    private static Histogram walk(ChatService chat, Conversation c, int limit, int samples) {
        Histogram h = new Histogram(60_000_000L, 3); // microseconds, up to a minute
        String cursor = null;
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            Page<Message> page = chat.history(c.to.userId(), c.id, limit, cursor, null);
            h.recordValue((System.nanoTime() - t0) / 1_000);
            if (page.items().isEmpty()) {
                throw new IllegalStateException("empty page in " + c.id);
            }
            cursor = page.nextCursor(); // null at the oldest page: start again from the newest
        }
        return h;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** A benchmark conversation between a new parent and a new therapist. */
    private static final class Conversation {
        final String id;
        final User from;
        final User to;
        final int size;
        int seeded;

        private Conversation(String id, User from, User to, int size) {
            this.id = id;
            this.from = from;
            this.to = to;
            this.size = size;
        }

        static Conversation open(ChatService chat, UserStore users, int size) {
            User parent = Bench.user(users, UserType.PARENT);
            User therapist = Bench.user(users, UserType.THERAPIST);
            String id = chat.open(parent.userId(), therapist.userId()).conversation().conversationId();
            chat.accept(therapist.userId(), id); // consent: an accepted conversation, as in real use
            return new Conversation(id, parent, therapist, size);
        }
    }
}
