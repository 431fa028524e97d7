package chatapp.bench;

import chatapp.account.User;
import chatapp.account.UserType;
import chatapp.chat.ChatService;
import chatapp.chat.Content;
import chatapp.core.CursorCodec;
import chatapp.core.Ids;
import chatapp.embedded.SqliteChatStore;
import chatapp.embedded.SqliteDatabase;
import chatapp.embedded.SqliteUserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Durable sends straight into {@code ChatService} on SQLite, without HTTP: what the single writer
 * with and without group commit gives when nothing else costs CPU. {@code --senders} threads
 * each send to their own conversation in a closed loop; a send counts when {@code send} returned,
 * which is after its group's commit (fsync).
 */
final class StoreSendThroughput {

    private StoreSendThroughput() {
    }

    static void run(Bench.Options options) throws Exception {
        int senders = options.integer("senders", 16);
        int seconds = options.integer("seconds", 10);
        int warmup = options.integer("warmup", 3);
        boolean groupCommit = Boolean.parseBoolean(options.get("group-commit", "true"));
        Path dir = Files.createTempDirectory("chatapp-bench-store");
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("data"), groupCommit ? 256 : 1)) {
            SqliteUserStore users = new SqliteUserStore(db);
            ChatService chat = new ChatService(new SqliteChatStore(db), users,
                    new CursorCodec(Ids.randomToken(32).getBytes()), Clock.systemUTC(), e -> { });
            List<String[]> pairs = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                User parent = Bench.user(users, UserType.PARENT);
                User therapist = Bench.user(users, UserType.THERAPIST);
                String conversationId = chat.open(parent.userId(), therapist.userId()).conversation().conversationId();
                chat.accept(therapist.userId(), conversationId); // consent: both may write from now on
                pairs.add(new String[] {parent.userId(), conversationId});
            }
            Recorder recorder = new Recorder(3);
            long warmupEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
            long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
            CountDownLatch finished = new CountDownLatch(senders);
            for (String[] pair : pairs) {
                Thread.ofPlatform().start(() -> {
                    try {
                        for (long n = 0; ; n++) {
                            long t0 = System.nanoTime();
                            if (t0 >= end) {
                                break;
                            }
                            chat.send(pair[0], pair[1], Ids.random(), Content.text("benchmark message " + n));
                            if (t0 >= warmupEnd) {
                                recorder.recordValue((System.nanoTime() - t0) / 1_000);
                            }
                        }
                    } finally {
                        finished.countDown();
                    }
                });
            }
            finished.await();
            Histogram h = recorder.getIntervalHistogram();
            System.out.printf("store sends, group commit %s, %d senders: %,d in %d s = %,.0f msg/s; latency p50 %.2f ms, "
                            + "p99 %.2f ms, max %.2f ms%n", groupCommit ? "on " : "off", senders, h.getTotalCount(),
                    seconds, h.getTotalCount() / (double) seconds, h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
