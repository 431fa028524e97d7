package chatapp.deploy;

import static chatapp.deploy.CloudFormationTemplate.list;
import static chatapp.deploy.CloudFormationTemplate.map;
import static chatapp.deploy.CloudFormationTemplate.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The template's operations block (docs/operations.md, "Alarms" and "Backup in the AWS shape"):
 * every Lambda function and every table is watched, the WebSocket API's server errors too, each
 * alarm notifies the alarm topic; the tables that hold data have point-in-time recovery and the
 * media bucket keeps versions.
 */
class AlarmsTemplateTest {

    private static CloudFormationTemplate template() throws Exception {
        return CloudFormationTemplate.load(Checkout.deploy("template.yaml"));
    }

    /** Every {@code Ref} of the alarm's metrics' dimensions, for {@code metric}. */
    private static Set<String> watched(Map<String, Object> alarm, String metric) {
        Set<String> refs = new HashSet<>();
        for (Object m : list(properties(alarm).get("Metrics"))) {
            if (map(m).get("MetricStat") == null) {
                continue; // the expression that sums them
            }
            Map<String, Object> stat = map(map(m).get("MetricStat"));
            if (!metric.equals(map(stat.get("Metric")).get("MetricName"))) {
                continue;
            }
            for (Object d : list(map(stat.get("Metric")).get("Dimensions"))) {
                Object value = map(d).get("Value");
                if (value instanceof Map<?, ?> ref && ref.get("Ref") != null) {
                    refs.add((String) ref.get("Ref"));
                }
            }
        }
        return refs;
    }

    @Test
    void everyFunctionTableAndTheWebSocketApiHaveAnAlarmThatNotifiesTheTopic() throws Exception {
        CloudFormationTemplate t = template();
        Map<String, Map<String, Object>> alarms = t.resources("AWS::CloudWatch::Alarm");
        Set<String> functions = new HashSet<>(watched(alarms.get("LambdaErrorsAlarm"), "Errors"));
        // the reminder function exists only with email, and so does its own alarm
        Map<String, Object> reminder = properties(alarms.get("ReminderErrorsAlarm"));
        assertThat(alarms.get("ReminderErrorsAlarm")).containsEntry("Condition", "HasEmail");
        assertThat(reminder).containsEntry("MetricName", "Errors").containsEntry("Namespace", "AWS/Lambda");
        functions.add((String) map(map(list(reminder.get("Dimensions")).getFirst()).get("Value")).get("Ref"));
        assertThat(functions).isEqualTo(t.resources("AWS::Lambda::Function").keySet());
        Set<String> tables = t.resources("AWS::DynamoDB::Table").keySet();
        assertThat(watched(alarms.get("DynamoReadThrottleAlarm"), "ReadThrottleEvents")).isEqualTo(tables);
        assertThat(watched(alarms.get("DynamoWriteThrottleAlarm"), "WriteThrottleEvents")).isEqualTo(tables);
        assertThat(watched(alarms.get("WebSocketApiErrorsAlarm"), "IntegrationError")).contains("WebSocketApi");
        assertThat(watched(alarms.get("WebSocketApiErrorsAlarm"), "ExecutionError")).contains("WebSocketApi");
        for (Map<String, Object> alarm : alarms.values()) {
            assertThat(list(properties(alarm).get("AlarmActions"))).containsExactly(Map.of("Ref", "AlarmTopic"));
        }
    }

    @Test
    void tablesWithDataHavePointInTimeRecoveryAndTheMediaBucketKeepsVersions() throws Exception {
        CloudFormationTemplate t = template();
        t.resources("AWS::DynamoDB::Table").forEach((name, table) -> {
            if (!name.equals("ConnectionsTable")) { // connection records live minutes; nothing to recover
                assertThat(map(properties(table).get("PointInTimeRecoverySpecification")))
                        .as(name).containsEntry("PointInTimeRecoveryEnabled", true);
            }
        });
        assertThat(map(properties(t.resources().get("MediaBucket")).get("VersioningConfiguration")))
                .containsEntry("Status", "Enabled");
    }
}
