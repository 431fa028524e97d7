package chatapp.embedded;

import chatapp.account.SessionStore;
import chatapp.account.UserStore;
import chatapp.audit.AuditStore;
import chatapp.chat.ChatStore;
import chatapp.core.RateLimitStore;
import chatapp.core.Shape;
import chatapp.embedded.media.DiskMediaFiles;
import chatapp.embedded.media.SqliteMediaStore;
import chatapp.media.MediaStore;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.TicketStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The one-machine shape: every store on one SQLite database under the data directory, and the
 * photos and videos in files beside it ({@link #mediaFiles}). Opening it takes the data
 * directory's lock, so a second ChatApp on the same directory fails here, at start.
 */
public final class EmbeddedShape implements Shape {

    private final SqliteDatabase database;
    private final SqliteRateLimitStore rateLimits;
    private final UserStore users;
    private final SessionStore sessions;
    private final SqliteChatStore chats;
    private final ConnectionStore connections;
    private final TicketStore tickets;
    private final MediaStore media;
    private final AuditStore audit;

    private EmbeddedShape(SqliteDatabase database, Clock clock) {
        this.database = database;
        this.users = new SqliteUserStore(database);
        this.sessions = new SqliteSessionStore(database);
        this.chats = new SqliteChatStore(database);
        this.connections = new SqliteConnectionStore(database, clock);
        this.tickets = new SqliteTicketStore(database, clock);
        this.media = new SqliteMediaStore(database);
        this.rateLimits = new SqliteRateLimitStore(database);
        this.audit = new SqliteAuditStore(database);
    }

    /**
     * Opens the database under {@code dataDir} (created owner-only if missing, migrated).
     *
     * @param groupCommit false for one fsync per write, which only the benchmarks want
     *     ({@code chatapp.sqlite.group-commit})
     * @param clock the time of connection records and tickets
     * @throws DataDirectoryException if the directory cannot be created or written, or another
     *     ChatApp holds it; the message is one line fit for an operator
     */
    public static EmbeddedShape open(Path dataDir, boolean groupCommit, Clock clock) {
        return new EmbeddedShape(groupCommit ? SqliteDatabase.open(dataDir) : SqliteDatabase.open(dataDir, 1), clock);
    }

    /**
     * Photos and videos as files under {@code <dataDir>/media}, handed out through URLs the server
     * signs and serves at {@link DiskMediaFiles#PATH}. Needs no database, so the AWS store can
     * keep its media on disk too (one machine trying the AWS shape, and tests).
     *
     * @param urlKey at least 32 bytes, kept server-side (the signing key's media key)
     */
    public static DiskMediaFiles mediaFiles(Path dataDir, byte[] urlKey, Clock clock) {
        return new DiskMediaFiles(dataDir.toAbsolutePath().normalize().resolve("media"), urlKey, clock);
    }

    /** Tells {@code observer} of every group commit of the database's writer (the server's metrics). */
    public void observeCommits(Consumer<SqliteDatabase.GroupCommit> observer) {
        database.observeCommits(observer);
    }

    @Override
    public String store() {
        return "sqlite";
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public ChatStore chats() {
        return chats;
    }

    /** The chat store as SQLite (the retention job walks its conversations: {@link SqliteChatStore#conversationIds}). */
    public SqliteChatStore chatStore() {
        return chats;
    }

    @Override
    public ConnectionStore connections() {
        return connections;
    }

    @Override
    public TicketStore tickets() {
        return tickets;
    }

    @Override
    public RateLimitStore rateLimits() {
        return rateLimits;
    }

    @Override
    public chatapp.userdata.ExportStore exports() {
        return new SqliteExportStore(database);
    }

    @Override
    public chatapp.notification.NotificationStore notifications() {
        return new SqliteNotificationStore(database);
    }

    @Override
    public MediaStore media() {
        return media;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public chatapp.notification.ReminderQueue reminders() {
        return new SqliteReminderQueue(database);
    }

    @Override
    public void check() {
        database.check();
    }

    @Override
    public void close() {
        database.close();
    }
}
