package chatapp.lambda;

import chatapp.notification.Reminder;
import chatapp.notification.UnreadReminders;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one unread-message reminder at its time (docs/notifications.md, "Email"): EventBridge
 * Scheduler invokes it with the input {@code aws.EventBridgeReminders} gave the schedule,
 * {@code {"userId", "conversationId"?, "dueAt"}}. The rule is core's {@link UnreadReminders#run},
 * which claims the reminder first (a conditional delete in DynamoDB), so a second invocation of
 * the same reminder sends nothing. Answers with what it did ({@code "SENT"}, {@code "ALREADY_RUN"}, ...).
 */
public final class ReminderHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(ReminderHandler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Supplier<UnreadReminders> reminders;

    /** Lambda's constructor: configuration from the environment. */
    public ReminderHandler() {
        this(Wiring.fromEnvironment().reminders(System.getenv()));
    }

    public ReminderHandler(Supplier<UnreadReminders> reminders) {
        this.reminders = reminders;
    }

    /** The reminder in a Scheduler input. */
    static Reminder reminder(JsonNode in) {
        String userId = in.path("userId").asString(null);
        if (userId == null || !in.path("dueAt").isNumber()) {
            throw new IllegalArgumentException("a reminder needs userId and dueAt");
        }
        String conversationId = in.path("conversationId").asString(null);
        return new Reminder(userId, conversationId, Instant.ofEpochMilli(in.path("dueAt").asLong()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Reminder r = reminder(JSON.readTree(input));
        UnreadReminders.Outcome outcome = reminders.get().run(r);
        log.info("reminder run: {}", outcome); // no user, no address
        output.write(("\"" + outcome + "\"").getBytes(StandardCharsets.UTF_8));
    }
}
