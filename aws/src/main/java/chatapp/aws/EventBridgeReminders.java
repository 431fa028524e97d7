package chatapp.aws;

import chatapp.notification.Reminder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;

/**
 * Keeps a reminder's time with EventBridge Scheduler (docs/notifications.md, "Email"): one
 * one-time schedule per queued reminder, {@code at(...)} in UTC (rounded up to the second), with
 * no flexible window, that invokes the reminder Lambda ({@code ReminderHandler}) with the
 * reminder as its input and deletes itself after it ran. The schedule's name is derived from the
 * reminder's key and time, so asking twice for the same reminder makes one schedule. Scheduler
 * delivers at least once; the Lambda's claim makes that once.
 */
public final class EventBridgeReminders implements Consumer<Reminder> {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final Supplier<SchedulerClient> scheduler;
    private final String functionArn;
    private final String roleArn;

    /**
     * @param functionArn the reminder Lambda ({@code CHATAPP_REMINDER_FUNCTION_ARN})
     * @param roleArn the role Scheduler assumes to invoke it ({@code CHATAPP_REMINDER_ROLE_ARN})
     */
    public EventBridgeReminders(Supplier<SchedulerClient> scheduler, String functionArn, String roleArn) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.functionArn = Objects.requireNonNull(functionArn);
        this.roleArn = Objects.requireNonNull(roleArn);
    }

    @Override
    public void accept(Reminder r) {
        String at = AT.format(r.dueAt().plusMillis(999).truncatedTo(ChronoUnit.SECONDS));
        try {
            scheduler.get().createSchedule(b -> b.name(scheduleName(r))
                    .scheduleExpression("at(" + at + ")")
                    .scheduleExpressionTimezone("UTC")
                    .flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
                    .actionAfterCompletion(ActionAfterCompletion.DELETE)
                    .target(t -> t.arn(functionArn).roleArn(roleArn).input(payload(r))));
        } catch (ConflictException e) {
            // this reminder is scheduled already
        }
    }

    /** The schedule's name: at most 64 of {@code [0-9A-Za-z_.-]}, one per reminder (key and time). */
    static String scheduleName(Reminder r) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((r.key() + " " + r.dueAt().toEpochMilli()).getBytes(StandardCharsets.UTF_8));
            return "chatapp-reminder-" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Lambda's input: {@code {"userId", "conversationId" (absent for a summary), "dueAt" (epoch ms)}}. */
    public static String payload(Reminder r) {
        return "{\"userId\":\"" + json(r.userId()) + "\""
                + (r.conversationId() == null ? "" : ",\"conversationId\":\"" + json(r.conversationId()) + "\"")
                + ",\"dueAt\":" + r.dueAt().toEpochMilli() + "}";
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
