package chatapp.aws;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.Ids;
import chatapp.notification.Reminder;
import chatapp.notification.ReminderQueue;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;

/**
 * The AWS shape's reminder queue with EventBridge Scheduler on moto: queuing a reminder creates
 * one one-time schedule invoking the reminder Lambda with the reminder as input; a reminder
 * pending for the key creates none.
 */
class EventBridgeRemindersTest {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:chatapp-reminder";
    static final String ROLE = "arn:aws:iam::123456789012:role/chatapp-scheduler";

    private static SchedulerClient scheduler() {
        return SchedulerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(dynamo.settings().region()).credentialsProvider(dynamo.settings().credentials())
                .endpointOverride(dynamo.settings().endpoint()).build();
    }

    @Test
    void aQueuedReminderBecomesOneOneTimeScheduleInvokingTheLambda() {
        try (SchedulerClient client = scheduler()) {
            ReminderQueue queue = new DynamoReminderQueue(dynamo.client(), dynamo.settings(),
                    new EventBridgeReminders(() -> client, FUNCTION, ROLE));
            Reminder r = new Reminder(Ids.random(), Ids.random(), Instant.parse("2026-05-01T10:15:00.250Z"));
            assertThat(queue.schedule(r)).isTrue();
            assertThat(queue.schedule(new Reminder(r.userId(), r.conversationId(), r.dueAt().plusSeconds(60)))).isFalse();

            GetScheduleResponse s = client.getSchedule(b -> b.name(EventBridgeReminders.scheduleName(r)));
            assertThat(s.scheduleExpression()).isEqualTo("at(2026-05-01T10:15:01)");
            assertThat(s.scheduleExpressionTimezone()).isEqualTo("UTC");
            assertThat(s.target().arn()).isEqualTo(FUNCTION);
            assertThat(s.target().roleArn()).isEqualTo(ROLE);
            assertThat(s.target().input()).isEqualTo(EventBridgeReminders.payload(r));
            assertThat(s.actionAfterCompletionAsString()).isEqualTo("DELETE");
            assertThat(client.listSchedules(b -> b.namePrefix("chatapp-reminder-")).schedules())
                    .filteredOn(x -> x.name().equals(EventBridgeReminders.scheduleName(
                            new Reminder(r.userId(), r.conversationId(), r.dueAt().plusSeconds(60)))))
                    .isEmpty();

            // asked again for the same reminder (a retried write): still one schedule, no error
            new EventBridgeReminders(() -> client, FUNCTION, ROLE).accept(r);
        }
    }
}
