package chatapp.core;

import chatapp.account.SessionStore;
import chatapp.audit.AuditStore;
import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.media.MediaStore;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.TicketStore;

/**
 * The stores of one deployment shape, built from its settings: one machine (SQLite under the
 * data directory, {@code chatapp.embedded.EmbeddedShape}) or AWS (DynamoDB,
 * {@code chatapp.aws.AwsShape}). Each method hands out the shape's adapter for one port; the
 * media files are chosen apart from the store (disk or S3), so each shape offers its own.
 */
public interface Shape extends AutoCloseable {

    /** How the store is named in {@code CHATAPP_STORE} and in the readiness report: {@code sqlite}, {@code dynamodb}. */
    String store();

    /** Accounts and their profiles. */
    UserStore users();

    /** Refresh-token sessions. */
    SessionStore sessions();

    /** Conversations, messages and read receipts. */
    ChatStore chats();

    /** The WebSocket connections held, per user (presence and fan-out). */
    ConnectionStore connections();

    /** One-use WebSocket tickets. */
    TicketStore tickets();

    /** The rate-limit buckets of {@link RateLimiter}, shared by every node of the shape. */
    RateLimitStore rateLimits();

    /** The records of photos and videos (their bytes are in {@link chatapp.media.MediaFiles}). */
    MediaStore media();

    /** The data export jobs (issue 22; the archives are in {@link chatapp.media.MediaFiles}). */
    chatapp.userdata.ExportStore exports();
    /** Notification preferences, push subscriptions and away notices (docs/notifications.md). */
    chatapp.notification.NotificationStore notifications();

    /** The audit log's entries (docs/audit.md). */
    AuditStore audit();

    /** Unread-message reminders waiting for their time (docs/notifications.md, "Email"). */
    chatapp.notification.ReminderQueue reminders();

    /**
     * Returns quietly when the store answers; otherwise throws a {@link RuntimeException} whose
     * message says what is wrong (readiness: a node whose store does not answer is not ready).
     */
    void check();

    /** Releases the connections and clients made so far; the adapters handed out stop working. */
    @Override
    void close();
}
