package chatapp.lambda;

import chatapp.account.Sessions;
import chatapp.aws.ApiGatewayFanOut;
import chatapp.aws.AwsShape;
import chatapp.aws.DynamoSettings;
import chatapp.aws.SigningKeySecret;
import chatapp.chat.ChatEvent;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.MessageLimit;
import chatapp.core.CursorCodec;
import chatapp.core.Lazy;
import chatapp.core.RateLimiter;
import chatapp.media.Attachments;
import chatapp.notification.EmailTexts;
import chatapp.notification.Mailer;
import chatapp.notification.Notifications;
import chatapp.notification.Preferences;
import chatapp.notification.ReminderQueue;
import chatapp.notification.UnreadReminders;
import chatapp.notification.UnsubscribeTokens;
import chatapp.notification.VapidKeyPair;
import chatapp.notification.WebPushDelivery;
import chatapp.realtime.Connections;
import chatapp.realtime.FrameHandler;
import chatapp.realtime.Frames;
import chatapp.realtime.RealtimeEvents;
import chatapp.realtime.Tickets;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * What the handlers use, each made on first use and then kept for the life of the Lambda
 * execution environment: a cold start pays only for what its first invocation needs, and no
 * framework scans or reflects at start.
 */
public final class Wiring {

    /**
     * The handlers' configuration.
     *
     * @param dynamo tables (prefix {@code CHATAPP_TABLE_PREFIX}, endpoint override
     *     {@code CHATAPP_DYNAMODB_ENDPOINT}); region and credentials from the default chains
     * @param managementEndpoint the Management API endpoint ({@code CHATAPP_APIGATEWAY_ENDPOINT})
     * @param lambdaEndpoint where the Lambda API is, null for AWS itself (the local harness plays it)
     * @param helloFunction name or ARN of the hello function ({@code CHATAPP_HELLO_FUNCTION})
     * @param allowedOrigins Origins that may open a WebSocket ({@code CHATAPP_ALLOWED_ORIGINS})
     * @param typingInterval at most one {@code typing} per conversation and connection per interval
     *     reaches the peer ({@code CHATAPP_WEBSOCKET_TYPING_INTERVAL}, as on the built-in gateway)
     * @param messages messages per minute per sender account, the same limit as the server's
     *     ({@code CHATAPP_LIMITS_MESSAGES_PER_MINUTE}, {@code CHATAPP_LIMITS_MESSAGE_BURST})
     * @param socketsPerUser at most this many WebSockets per user; {@code $connect} past it closes
     *     the user's oldest ({@code CHATAPP_LIMITS_SOCKETS_PER_USER}, as on the built-in gateway)
     * @param messageRetention how long messages are kept: the DynamoDB TTL each stored message gets
     *     ({@code CHATAPP_RETENTION_MESSAGES}, the same value as the server's; docs/audit.md,
     *     "Retention of messages and media"); null keeps them
     */
    public record Settings(DynamoSettings dynamo, URI managementEndpoint, URI lambdaEndpoint, String helloFunction,
            List<String> allowedOrigins, Duration typingInterval, MessageLimit.Rate messages, int socketsPerUser,
            Duration messageRetention) {

        /** API.md's default cap of sockets per user. */
        public static final int SOCKETS_PER_USER = 10;
        private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ns|us|ms|s|m|h|d)?");

        public Settings {
            allowedOrigins = List.copyOf(allowedOrigins);
            if (typingInterval.isNegative()) {
                throw new IllegalArgumentException("the typing interval must not be negative: " + typingInterval);
            }
            Objects.requireNonNull(messages);
            if (socketsPerUser < 1) {
                throw new IllegalArgumentException("CHATAPP_LIMITS_SOCKETS_PER_USER must be at least 1: " + socketsPerUser);
            }
            if (messageRetention != null && (messageRetention.isNegative() || messageRetention.isZero())) {
                throw new IllegalArgumentException("CHATAPP_RETENTION_MESSAGES must be positive: " + messageRetention);
            }
        }

        /** Keeping messages for ever (no retention). */
        public Settings(DynamoSettings dynamo, URI managementEndpoint, URI lambdaEndpoint, String helloFunction,
                List<String> allowedOrigins, Duration typingInterval, MessageLimit.Rate messages, int socketsPerUser) {
            this(dynamo, managementEndpoint, lambdaEndpoint, helloFunction, allowedOrigins, typingInterval, messages,
                    socketsPerUser, null);
        }

        /** With the default cap of sockets per user. */
        public Settings(DynamoSettings dynamo, URI managementEndpoint, URI lambdaEndpoint, String helloFunction,
                List<String> allowedOrigins, Duration typingInterval, MessageLimit.Rate messages) {
            this(dynamo, managementEndpoint, lambdaEndpoint, helloFunction, allowedOrigins, typingInterval, messages,
                    SOCKETS_PER_USER);
        }

        /** With the default message limit ({@link MessageLimit.Rate#DEFAULT}) and cap of sockets per user. */
        public Settings(DynamoSettings dynamo, URI managementEndpoint, URI lambdaEndpoint, String helloFunction,
                List<String> allowedOrigins, Duration typingInterval) {
            this(dynamo, managementEndpoint, lambdaEndpoint, helloFunction, allowedOrigins, typingInterval,
                    MessageLimit.Rate.DEFAULT);
        }

        /** With API.md's typing interval ({@link FrameHandler#TYPING_INTERVAL}). */
        public Settings(DynamoSettings dynamo, URI managementEndpoint, URI lambdaEndpoint, String helloFunction,
                List<String> allowedOrigins) {
            this(dynamo, managementEndpoint, lambdaEndpoint, helloFunction, allowedOrigins, FrameHandler.TYPING_INTERVAL);
        }

        /** From the function's environment (the variables the template sets, deploy/template.yaml). */
        public static Settings fromEnvironment(Map<String, String> env) {
            String dynamoEndpoint = blankToNull(env.get("CHATAPP_DYNAMODB_ENDPOINT"));
            String management = blankToNull(env.get("CHATAPP_APIGATEWAY_ENDPOINT"));
            return new Settings(
                    new DynamoSettings(null, dynamoEndpoint == null ? null : URI.create(dynamoEndpoint),
                            env.getOrDefault("CHATAPP_TABLE_PREFIX", ""), null),
                    management == null ? null : URI.create(management),
                    null,
                    blankToNull(env.get("CHATAPP_HELLO_FUNCTION")),
                    Arrays.stream(env.getOrDefault("CHATAPP_ALLOWED_ORIGINS", "").split(","))
                            .map(String::strip).filter(s -> !s.isEmpty()).toList(),
                    duration(env, "CHATAPP_WEBSOCKET_TYPING_INTERVAL", FrameHandler.TYPING_INTERVAL),
                    new MessageLimit.Rate(
                            count(env, "CHATAPP_LIMITS_MESSAGES_PER_MINUTE", MessageLimit.Rate.DEFAULT.perMinute()),
                            count(env, "CHATAPP_LIMITS_MESSAGE_BURST", MessageLimit.Rate.DEFAULT.burst())),
                    count(env, "CHATAPP_LIMITS_SOCKETS_PER_USER", SOCKETS_PER_USER),
                    duration(env, "CHATAPP_RETENTION_MESSAGES", null));
        }

        /**
         * A whole number of at least 1, or {@code otherwise} when unset.
         *
         * @throws IllegalStateException naming the variable if it is not one
         */
        static int count(Map<String, String> env, String variable, int otherwise) {
            String value = blankToNull(env.get(variable));
            if (value == null) {
                return otherwise;
            }
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalStateException(variable + " must be a whole number of at least 1: " + value);
        }

        /**
         * A duration variable as the server reads the same one: ISO-8601 ({@code PT2S}) or a number
         * with a unit ({@code 2s}, {@code 500ms}; no unit is milliseconds).
         *
         * @throws IllegalStateException naming the variable if it is neither
         */
        static Duration duration(Map<String, String> env, String variable, Duration otherwise) {
            String value = blankToNull(env.get(variable));
            if (value == null) {
                return otherwise;
            }
            Matcher simple = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
            try {
                if (!simple.matches()) {
                    Duration iso = Duration.parse(value);
                    if (iso.isNegative()) {
                        throw new IllegalStateException(variable + " must not be negative: " + value);
                    }
                    return iso;
                }
                long n = Long.parseLong(simple.group(1));
                return switch (simple.group(2) == null ? "ms" : simple.group(2)) {
                    case "ns" -> Duration.ofNanos(n);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000));
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
                throw new IllegalStateException(variable + " is not a duration (e.g. 2s, 500ms or PT2S): " + value);
            }
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    /**
     * Web Push in the Lambda (docs/notifications.md): the VAPID keys as text
     * ({@code CHATAPP_PUSH_VAPID_KEYS}) or a Secrets Manager secret holding them
     * ({@code CHATAPP_PUSH_VAPID_KEYS_SECRET}, read on first use), and the subject
     * ({@code CHATAPP_PUSH_SUBJECT}); without keys no push goes out (the away message still does).
     * {@code allowPrivateEndpoints} ({@code CHATAPP_PUSH_ALLOW_PRIVATE_ENDPOINTS}, tests with a
     * local push service only) lets pushes reach internal addresses (docs/security.md, "Push endpoints").
     */
    public record PushSettings(String vapidKeys, String vapidKeysSecret, String subject, boolean allowPrivateEndpoints) {

        /** No push. */
        public static final PushSettings NONE = new PushSettings(null, null, null, false);

        /** Settings that push only to endpoints on public addresses. */
        public PushSettings(String vapidKeys, String vapidKeysSecret, String subject) {
            this(vapidKeys, vapidKeysSecret, subject, false);
        }

        /** From the function's environment. */
        public static PushSettings fromEnvironment(Map<String, String> env) {
            return new PushSettings(env.get("CHATAPP_PUSH_VAPID_KEYS"), env.get("CHATAPP_PUSH_VAPID_KEYS_SECRET"),
                    env.get("CHATAPP_PUSH_SUBJECT"), Boolean.parseBoolean(env.get("CHATAPP_PUSH_ALLOW_PRIVATE_ENDPOINTS")));
        }

        /** The delivery, or null without keys. */
        WebPushDelivery delivery() {
            String text = vapidKeys;
            if ((text == null || text.isBlank()) && vapidKeysSecret != null && !vapidKeysSecret.isBlank()) {
                text = SigningKeySecret.read(vapidKeysSecret.strip());
            }
            if (text == null || text.isBlank()) {
                return null;
            }
            return new WebPushDelivery(subject == null || subject.isBlank() ? "mailto:postmaster@localhost" : subject.strip(),
                    VapidKeyPair.parse(text), allowPrivateEndpoints);
        }
    }

    /** How long a handler waits, before it returns, for the pushes its frame set off. */
    static final Duration NOTIFICATIONS_WAIT = Duration.ofSeconds(5);

    private final Settings settings;
    private final Clock clock = Clock.systemUTC();
    private final Supplier<Notifications> notifications;
    private volatile boolean notificationsMade;

    /** The adapters; its clients are made on first use. */
    private final AwsShape aws;
    private final Supplier<LambdaClient> lambda;
    private final Supplier<Frames> frames;
    private final Supplier<Sessions> sessions;
    private final Supplier<Tickets> tickets;
    private final Supplier<Connections> connections;
    private final Supplier<ChatStore> chatStore;
    private final Supplier<ApiGatewayFanOut> fanOut;
    private final Supplier<ChatService> chat;
    private final Supplier<RealtimeEvents> events;
    private final Supplier<FrameHandler> frameHandler;

    public Wiring(Settings settings) {
        this(settings, PushSettings.NONE);
    }

    public Wiring(Settings settings, PushSettings push) {
        this.settings = settings;
        this.aws = new AwsShape(settings.dynamo(), null, settings.managementEndpoint(), settings.messageRetention());
        this.lambda = Lazy.of(this::lambdaClient);
        this.notifications = Lazy.of(() -> notifications(push));
        this.frames = Lazy.of(Frames::new);
        this.sessions = Lazy.of(() -> new Sessions(aws.sessions(), clock));
        this.tickets = Lazy.of(() -> new Tickets(aws.tickets(), clock, sessions.get()::liveNow));
        this.connections = Lazy.of(() -> new Connections(aws.connections(), clock));
        this.chatStore = Lazy.of(aws::chats);
        this.fanOut = Lazy.of(() -> aws.fanOut(connections.get(), frames.get()::encode));
        this.events = Lazy.of(() -> new RealtimeEvents(fanOut.get(), chat()));
        this.frameHandler = Lazy.of(() -> new FrameHandler(chat(), events(), frames.get(), settings.typingInterval()));
        this.chat = Lazy.of(this::chatService);
    }

    private LambdaClient lambdaClient() {
        var builder = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (settings.lambdaEndpoint() != null) {
            builder.endpointOverride(settings.lambdaEndpoint());
        }
        return builder.build();
    }

    /** Web Push and the away message: two threads for the pushes of one invocation. */
    private Notifications notifications(PushSettings push) {
        notificationsMade = true;
        return new Notifications(aws.notifications(), aws.users(), aws.connections(), fanOut(), push.delivery(), clock,
                2);
    }

    private ChatService chatService() {
        // The handlers never hand out or read cursors (REST does), so their codec's key is
        // random and never leaves the function.
        // Photo and video messages need only the media records (who uploaded what), never the bytes.
        return new ChatService(chatStore.get(), aws.users(), new CursorCodec(randomKey()), clock, this::chatEvent,
                new Attachments(aws.media()),
                new MessageLimit(new RateLimiter(aws.rateLimits(), clock), settings.messages()));
    }

    /**
     * The unread-message reminders of {@link ReminderHandler}, made on first use from the email
     * settings in {@code env} (the server's: {@code CHATAPP_EMAIL_SMTP_HOST}, {@code _PORT},
     * {@code _USERNAME}, {@code _PASSWORD}, {@code CHATAPP_EMAIL_STARTTLS}, {@code CHATAPP_EMAIL_FROM},
     * {@code CHATAPP_EMAIL_APP_URL}; the password may instead be the Secrets Manager secret
     * {@code CHATAPP_EMAIL_SMTP_PASSWORD_SECRET}, read on first use) and the signing key
     * ({@code CHATAPP_SIGNING_KEY}, or the Secrets Manager secret {@code CHATAPP_SIGNING_KEY_SECRET})
     * for the unsubscribe links. A summary it queues (quiet hours) gets its own schedule when
     * {@code CHATAPP_EMAIL_REMINDER_FUNCTION_ARN} and {@code _ROLE_ARN} are set. Without a host
     * nothing is sent.
     */
    public Supplier<UnreadReminders> reminders(Map<String, String> env) {
        Optional<ReminderQueue> scheduled = ReminderFunction.of(env).map(f -> aws.reminders(f.arn(), f.role()));
        return Lazy.of(() -> sendingReminders(env, scheduled.orElseGet(aws::reminders)));
    }

    /** The reminder function EventBridge Scheduler invokes, and the role it assumes to do so. */
    private record ReminderFunction(String arn, String role) {

        /** From {@code CHATAPP_EMAIL_REMINDER_FUNCTION_ARN} and {@code _ROLE_ARN}, if both are set. */
        static Optional<ReminderFunction> of(Map<String, String> env) {
            String function = env.getOrDefault("CHATAPP_EMAIL_REMINDER_FUNCTION_ARN", "").strip();
            String role = env.getOrDefault("CHATAPP_EMAIL_REMINDER_ROLE_ARN", "").strip();
            return function.isEmpty() || role.isEmpty() ? Optional.empty()
                    : Optional.of(new ReminderFunction(function, role));
        }
    }

    /** Reminders that send: SMTP, the texts and unsubscribe links; {@link Mailer#OFF} without a host. */
    private UnreadReminders sendingReminders(Map<String, String> env, ReminderQueue queue) {
        String host = env.getOrDefault("CHATAPP_EMAIL_SMTP_HOST", "").strip();
        if (host.isEmpty()) {
            return new UnreadReminders(queue, chatStore.get(), aws.users(), this::preferences, Mailer.OFF, null, null,
                    clock);
        }
        return new UnreadReminders(queue, chatStore.get(), aws.users(), this::preferences, smtp(env, host),
                new EmailTexts(required(env, "CHATAPP_EMAIL_APP_URL")), unsubscribeTokens(env), clock);
    }

    private static Mailer smtp(Map<String, String> env, String host) {
        String password = env.getOrDefault("CHATAPP_EMAIL_SMTP_PASSWORD", "");
        String passwordSecret = env.getOrDefault("CHATAPP_EMAIL_SMTP_PASSWORD_SECRET", "").strip();
        if (password.isBlank() && !passwordSecret.isEmpty()) {
            password = SigningKeySecret.read(passwordSecret);
        }
        return new SmtpMail(host, Settings.count(env, "CHATAPP_EMAIL_SMTP_PORT", 587),
                env.get("CHATAPP_EMAIL_SMTP_USERNAME"), password.isBlank() ? null : password,
                !"false".equalsIgnoreCase(env.getOrDefault("CHATAPP_EMAIL_STARTTLS", "true").strip()),
                required(env, "CHATAPP_EMAIL_FROM"));
    }

    /** The unsubscribe links' key, from the signing key (text or Secrets Manager secret). */
    private static UnsubscribeTokens unsubscribeTokens(Map<String, String> env) {
        String key = env.getOrDefault("CHATAPP_SIGNING_KEY", "").strip();
        if (key.isEmpty()) {
            key = SigningKeySecret.read(required(env, "CHATAPP_SIGNING_KEY_SECRET")).strip();
        }
        return UnsubscribeTokens.fromSigningKey(Base64.getDecoder().decode(key));
    }

    /** Each user's preferences, as the server reads them (docs/notifications.md). */
    private Preferences preferences(String userId) {
        return aws.notifications().preferences(userId).orElseGet(Preferences::defaults);
    }

    private static String required(Map<String, String> env, String variable) {
        String value = env.getOrDefault(variable, "").strip();
        if (value.isEmpty()) {
            throw new IllegalStateException(variable + " is required with CHATAPP_EMAIL_SMTP_HOST");
        }
        return value;
    }

    /** From {@link System#getenv()}: what a handler's no-argument constructor (Lambda's) uses. */
    static Wiring fromEnvironment() {
        Wiring wiring = new Wiring(Settings.fromEnvironment(System.getenv()), PushSettings.fromEnvironment(System.getenv()));
        wiring.queueRemindersWith(System.getenv());
        return wiring;
    }

    /** Queues unread-message reminders for messages accepted here, when set ({@link #queueRemindersWith}). */
    private volatile Supplier<UnreadReminders> queuing;
    private volatile boolean remindersMade;

    private void chatEvent(ChatEvent event) {
        events().on(event);
        notifications().on(event);
        var q = queuing;
        if (q != null && event instanceof ChatEvent.MessageStored) {
            remindersMade = true;
            q.get().on(event); // on its own thread; awaitNotifications waits for it before the handler returns
        }
    }

    /**
     * Messages accepted by this function ({@code $default}) queue their recipient's unread-message
     * reminder as the server's do, when {@code env} has the email settings and the reminder
     * function ({@code CHATAPP_EMAIL_SMTP_HOST}, {@code CHATAPP_EMAIL_REMINDER_FUNCTION_ARN},
     * {@code CHATAPP_EMAIL_REMINDER_ROLE_ARN}); otherwise nothing is queued. This function only
     * queues (the reminder function sends), so it needs no SMTP password and no signing key.
     */
    void queueRemindersWith(Map<String, String> env) {
        Optional<ReminderFunction> function = ReminderFunction.of(env);
        if (env.getOrDefault("CHATAPP_EMAIL_SMTP_HOST", "").isBlank() || function.isEmpty()) {
            return;
        }
        queuing = Lazy.of(() -> queuingReminders(function.get()));
    }

    /** Reminders that only queue: email is on, but its texts and unsubscribe key sign and send nothing here. */
    private UnreadReminders queuingReminders(ReminderFunction function) {
        return new UnreadReminders(aws.reminders(function.arn(), function.role()), chatStore.get(), aws.users(), this::preferences,
                QUEUE_ONLY, new EmailTexts("https://localhost"), new UnsubscribeTokens(randomKey()), clock);
    }

    /** Email is on, but this function never sends: the reminder function does, at the reminder's time. */
    private static final Mailer QUEUE_ONLY = email -> {
        throw new IllegalStateException("the $default function queues reminders; the reminder function sends them");
    };

    /** Pushes and away messages of stored messages, the same rule as the server's. */
    Notifications notifications() {
        return notifications.get();
    }

    /**
     * Waits (at most {@link #NOTIFICATIONS_WAIT} each) for the pushes and the reminder queuing this
     * invocation set off: the execution environment may be frozen once the handler returns.
     */
    void awaitNotifications() {
        if (notificationsMade) {
            notifications.get().awaitIdle(NOTIFICATIONS_WAIT);
        }
        if (remindersMade) {
            queuing.get().awaitIdle(NOTIFICATIONS_WAIT);
        }
    }

    Settings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    Frames frames() {
        return frames.get();
    }

    Tickets tickets() {
        return tickets.get();
    }

    /** Which sessions are live (each answer trusted for {@link Sessions#LIVENESS_TTL} in this environment). */
    Sessions sessions() {
        return sessions.get();
    }

    Connections connections() {
        return connections.get();
    }

    ChatService chat() {
        return chat.get();
    }

    RealtimeEvents events() {
        return events.get();
    }

    FrameHandler frameHandler() {
        return frameHandler.get();
    }

    ApiGatewayFanOut fanOut() {
        return fanOut.get();
    }

    ApiGatewayManagementApiClient management() {
        return aws.managementApi();
    }

    LambdaClient lambda() {
        return lambda.get();
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
