package chatapp.server.account;

import chatapp.account.PasswordHashing;
import chatapp.account.Sessions;
import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import chatapp.server.ChatAppProperties;
import chatapp.userdata.AccountDeletion;
import chatapp.userdata.DataExport;
import chatapp.userdata.ExportStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the user's own data (issue 22; docs/audit.md): account deletion, data export with its
 * background runner and the hourly purge of expired archives.
 */
@Configuration(proxyBeanMethods = false)
class UserDataConfiguration {

    private static final Logger log = LoggerFactory.getLogger(UserDataConfiguration.class);

    /**
     * One export at a time per node, up to 20 waiting: an export reads a whole account, so a
     * burst of them queues instead of competing with the chat for the store (a full queue is a
     * 503 to the requester).
     */
    @Bean(destroyMethod = "shutdownNow")
    ThreadPoolExecutor exportRunner() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(20), r -> {
            Thread t = new Thread(r, "data-export");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    DataExport dataExport(ExportStore exports, UserStore users, ChatStore chats, MediaStore media, MediaFiles files,
            Clock clock, RateLimitStore buckets, ChatAppProperties app, ThreadPoolExecutor exportRunner,
            chatapp.notification.NotificationStore notifications) {
        Path spool = app.dataDir().toAbsolutePath().normalize().resolve("tmp").resolve("exports");
        try {
            Files.createDirectories(spool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + spool, e);
        }
        return new DataExport(exports, users, chats, media, files, clock, new RateLimiter(buckets, clock), spool,
                exportRunner, notifications);
    }

    /** Deletes expired export archives every hour, the first time a minute after the start. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService exportPurge(DataExport exports) {
        ScheduledExecutorService purge = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "export-purge");
            t.setDaemon(true);
            return t;
        });
        purge.scheduleWithFixedDelay(() -> {
            try {
                int n = exports.purgeExpired();
                if (n > 0) {
                    log.info("deleted {} expired data exports", n);
                }
            } catch (RuntimeException e) {
                log.warn("could not purge expired data exports: {}", e.toString()); // the next run tries again
            }
        }, 1, 60, TimeUnit.MINUTES);
        return purge;
    }

    /**
     * The retention job on one machine, when {@code chatapp.retention.messages} is set. The AWS
     * shape offers no {@link RetentionSweep.Conversations}: DynamoDB's TTL does the work there, and
     * the sweep schedules nothing.
     */
    @Bean(destroyMethod = "close")
    RetentionSweep retentionSweep(chatapp.server.RetentionProperties retention,
            // set and not empty: the template writes CHATAPP_RETENTION_MESSAGES= (empty) for "for ever".
            // Decided here (null: no job), not by a condition, for Spring's AOT processing
            // (docs/decisions/0058-spring-aot.md).
            @org.springframework.beans.factory.annotation.Value("${chatapp.retention.messages:}") String set,
            org.springframework.beans.factory.ObjectProvider<RetentionSweep.Conversations> conversations,
            ChatStore chats, MediaStore media, MediaFiles files, Clock clock) {
        if (set.isEmpty()) {
            return null;
        }
        return new RetentionSweep(new chatapp.userdata.Retention(chats, media, files, clock, retention.messages()),
                conversations.getIfAvailable(), retention.sweep());
    }

    @Bean
    AccountDeletion accountDeletion(UserStore users, Sessions sessions, ChatStore chats, MediaStore media,
            MediaFiles files, PasswordHashing hashing, RateLimitStore buckets, Clock clock, DataExport exports,
            chatapp.notification.NotificationStore notifications,
            java.util.function.Consumer<chatapp.chat.ChatEvent> events) {
        return new AccountDeletion(users, sessions, chats, media, files, hashing, new RateLimiter(buckets, clock),
                exports, notifications, events);
    }
}
