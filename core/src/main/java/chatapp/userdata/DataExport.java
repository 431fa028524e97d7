package chatapp.userdata;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.core.ChatAppException;
import chatapp.core.Ids;
import chatapp.core.RateLimiter;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A user downloads everything they can see (issue 22; GDPR articles 15 and 20; what the archive
 * holds: docs/audit.md, "Export"): their profile, every conversation of theirs with every message
 * of both sides and its read receipt, and the bytes of every photo and video in them. The archive
 * is made in the background ({@link #request}, then {@link #status}), written to a file in the
 * spool directory as it is read (never held in memory), then stored in {@link MediaFiles} (the data
 * directory, or the S3 bucket) and offered through a signed link that expires
 * ({@link #LINK_VALIDITY}). Archives are deleted {@link #ARCHIVE_LIFETIME} after they are ready
 * ({@link #purgeExpired}).
 */
public final class DataExport {

    /** Exports one account may request per day (issue 22: each reads all of the account's data). */
    public static final RateLimiter.Limit PER_DAY = RateLimiter.Limit.perPeriod("exports", 3, Duration.ofDays(1),
            "you can request 3 exports a day");
    /** How long a ready archive is kept before it is deleted. */
    public static final Duration ARCHIVE_LIFETIME = Duration.ofHours(48);
    /** How long one signed link to the archive works; {@link #status} gives a fresh one each time. */
    public static final Duration LINK_VALIDITY = Duration.ofMinutes(15);
    /** A job not ready by then is cleaned up (its process died); it shows as failed after {@link #RUN_LIMIT}. */
    static final Duration UNFINISHED_LIFETIME = Duration.ofDays(1);
    /** A job still pending or running after this is reported as failed (its process died or is stuck). */
    static final Duration RUN_LIMIT = Duration.ofHours(1);
    /** The archive's content type. */
    public static final String CONTENT_TYPE = "application/zip";

    private final ExportStore jobs;
    private final UserStore users;
    private final MediaFiles files;
    private final ExportArchive archive;
    private final Clock clock;
    private final RateLimiter limiter;
    private final Path spool;
    private final Executor runner;

    /**
     * @param spool where archives are written before they are stored (the data directory's spool)
     * @param runner runs the exports in the background (the server's: a small bounded pool)
     * @param limiter counts requests against {@link #PER_DAY}; null for no limit (tools, tests)
     */
    public DataExport(ExportStore jobs, UserStore users, ChatStore chats, MediaStore media, MediaFiles files,
            Clock clock, RateLimiter limiter, Path spool, Executor runner) {
        this(jobs, users, chats, media, files, clock, limiter, spool, runner, null);
    }

    /**
     * As above; the archive also holds the user's notification preferences and which sessions
     * have push subscriptions ({@code notifications.json}; null: none, for tools and tests).
     */
    public DataExport(ExportStore jobs, UserStore users, ChatStore chats, MediaStore media, MediaFiles files,
            Clock clock, RateLimiter limiter, Path spool, Executor runner,
            chatapp.notification.NotificationStore notifications) {
        this.jobs = Objects.requireNonNull(jobs);
        this.users = Objects.requireNonNull(users);
        this.files = Objects.requireNonNull(files);
        this.archive = new ExportArchive(users, chats, media, files, notifications);
        this.clock = Objects.requireNonNull(clock);
        this.limiter = limiter;
        this.spool = Objects.requireNonNull(spool);
        this.runner = Objects.requireNonNull(runner);
    }

    /** An export as its owner sees it: the job, and while it is ready a signed link to the archive. */
    public record Status(ExportJob job, URI url, Instant urlExpiresAt) {
    }

    /**
     * Starts an export of {@code userId}'s data in the background.
     *
     * @return the new job, {@code pending}
     * @throws ChatAppException 429 {@code rate_limited} over {@link #PER_DAY}; 503 if the server
     *     has too many exports running
     */
    public ExportJob request(String userId) {
        if (limiter != null) {
            limiter.take(userId, PER_DAY);
        }
        Instant now = now();
        ExportJob job = new ExportJob(Ids.random(), userId, ExportJob.State.PENDING, now, null, 0,
                now.plus(UNFINISHED_LIFETIME));
        jobs.create(job);
        try {
            runner.execute(() -> run(job));
        } catch (RejectedExecutionException e) {
            jobs.save(job.with(ExportJob.State.FAILED, null, 0, job.expiresAt()));
            if (limiter != null) {
                limiter.giveBack(userId, PER_DAY);
            }
            throw new ChatAppException(chatapp.core.ErrorCode.UNAVAILABLE, "too many exports are running; try again soon");
        }
        return job;
    }

    /**
     * The export {@code exportId} of the caller, with a fresh signed link while it is ready.
     *
     * @throws ChatAppException 404 if there is no such export of the caller's, or it has expired
     */
    public Status status(String userId, String exportId) {
        ExportJob job = (exportId == null || !exportId.matches("[A-Za-z0-9_-]{1,64}") ? Optional.<ExportJob>empty()
                : jobs.find(userId, exportId))
                .filter(j -> j.expiresAt().isAfter(clock.instant()))
                .orElseThrow(() -> ChatAppException.notFound("no such export (exports are deleted "
                        + ARCHIVE_LIFETIME.toHours() + " hours after they are ready)"));
        if (job.state() == ExportJob.State.READY) {
            Instant until = clock.instant().plus(LINK_VALIDITY);
            String name = "chatapp-export-" + job.createdAt().truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10)
                    + ".zip";
            return new Status(job, files.url(job.archiveKey(), CONTENT_TYPE, name, LINK_VALIDITY),
                    until.truncatedTo(ChronoUnit.SECONDS));
        }
        boolean stuck = (job.state() == ExportJob.State.PENDING || job.state() == ExportJob.State.RUNNING)
                && job.createdAt().plus(RUN_LIMIT).isBefore(clock.instant());
        return new Status(stuck ? job.with(ExportJob.State.FAILED, null, 0, job.expiresAt()) : job, null, null);
    }

    /** The caller's exports that have not expired, newest first. */
    public List<ExportJob> list(String userId) {
        Instant now = clock.instant();
        return jobs.byUser(userId).stream().filter(j -> j.expiresAt().isAfter(now)).toList();
    }

    /** Makes the archive of {@code job} (what the background runner calls). */
    void run(ExportJob job) {
        Path file = null;
        try {
            jobs.save(job.with(ExportJob.State.RUNNING, null, 0, job.expiresAt()));
            User user = users.findById(job.userId()).orElseThrow(() -> new IllegalStateException("account gone"));
            file = Files.createTempFile(Files.createDirectories(spool), "export-", ".zip");
            try (OutputStream out = Files.newOutputStream(file)) {
                archive.write(user, now(), out);
            }
            String key = job.exportId() + "/archive";
            files.put(key, file, CONTENT_TYPE);
            jobs.save(job.with(ExportJob.State.READY, key, Files.size(file), now().plus(ARCHIVE_LIFETIME)));
        } catch (IOException | RuntimeException e) {
            System.getLogger(DataExport.class.getName()).log(System.Logger.Level.WARNING,
                    "export " + job.exportId() + " failed: " + e.getClass().getSimpleName());
            try {
                jobs.save(job.with(ExportJob.State.FAILED, null, 0, job.expiresAt()));
            } catch (RuntimeException ignored) {
                // the store is down too: the job expires by itself
            }
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the spool is cleaned at the next start
                }
            }
        }
    }

    /**
     * Deletes expired jobs and their archives (run every hour by the server); also every job of
     * an account being deleted ({@link #deleteAll}).
     *
     * @return how many jobs it deleted
     */
    public int purgeExpired() {
        int deleted = 0;
        List<ExportJob> due;
        do {
            due = jobs.expiredBefore(clock.instant(), 100);
            for (ExportJob job : due) {
                remove(job);
                deleted++;
            }
        } while (due.size() == 100);
        return deleted;
    }

    /** Deletes every export of {@code userId} with its archive (account deletion). */
    public void deleteAll(String userId) {
        jobs.byUser(userId).forEach(this::remove);
    }

    private void remove(ExportJob job) {
        if (job.archiveKey() != null) {
            files.delete(job.archiveKey());
        }
        jobs.delete(job);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
