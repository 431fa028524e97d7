package chatapp.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.account.AccountImport;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a DynamoDB JSON export (real files, plain and gzipped) and the prototype's values. */
class PrototypeExportTest {

    @TempDir
    Path tmp;

    @Test
    void everyDynamoDbJsonTypeBecomesAPlainValueAndBadLinesBecomeUnreadableRows() throws IOException {
        Path users = tmp.resolve("users.json");
        Files.writeString(users, """
                {"Item": {"userId": {"S": "u1"}, "childrenCount": {"N": "2"}, "active": {"BOOL": true}, "gone": {"NULL": true}, "tags": {"SS": ["a", "b"]}, "address": {"M": {"city": {"S": "Bern"}}}, "list": {"L": [{"N": "1.5"}, {"S": "x"}]}}}

                not json
                {"Items": {}}
                {"Item": {"userId": "u2"}}
                """);
        Path chats = tmp.resolve("chats");
        Files.createDirectories(chats);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(chats.resolve("b.json.gz")))) {
            out.write("{\"Item\": {\"chatId\": {\"S\": \"second\"}}}\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(chats.resolve("a.json"), "{\"Item\": {\"chatId\": {\"S\": \"first\"}}}\n");
        Files.writeString(chats.resolve("manifest-summary.md"), "not data");

        PrototypeExport export = new PrototypeExport(users, chats);
        List<PrototypeRow> rows = new ArrayList<>();
        export.users(rows::add);
        assertThat(rows).hasSize(4);
        Map<String, Object> u1 = rows.get(0).attributes();
        assertThat(u1).containsEntry("userId", "u1").containsEntry("childrenCount", new BigDecimal("2"))
                .containsEntry("active", true).containsEntry("gone", null)
                .containsEntry("tags", List.of("a", "b")).containsEntry("address", Map.of("city", "Bern"))
                .containsEntry("list", List.of(new BigDecimal("1.5"), "x"));
        assertThat(rows.get(1).problem()).isEqualTo("not JSON");
        assertThat(rows.get(1).where()).isEqualTo("users export users.json line 3");
        assertThat(rows.get(2).problem()).contains("not a DynamoDB JSON item");
        assertThat(rows.get(3).problem()).isEqualTo("attribute userId is not a typed DynamoDB JSON value");

        List<PrototypeRow> messages = new ArrayList<>();
        export.chats(messages::add);
        assertThat(messages).extracting(r -> r.text("chatId")).containsExactly("first", "second");
    }

    @Test
    void timesAreIsoTextWithOrWithoutOffsetOrEpochSecondsOrMillis() {
        PrototypeRow row = PrototypeRow.of("here", Map.of("naive", "2024-01-05T09:00:00.123456",
                "offset", "2024-01-05T10:00:00+01:00", "zulu", "2024-01-05T09:00:00Z",
                "seconds", new BigDecimal("1704445200.25"), "millis", new BigDecimal("1704445200250"),
                "text", "yesterday"));
        assertThat(row.instant("naive")).isEqualTo(Instant.parse("2024-01-05T09:00:00.123456Z"));
        assertThat(row.instant("offset")).isEqualTo(Instant.parse("2024-01-05T09:00:00Z"));
        assertThat(row.instant("zulu")).isEqualTo(Instant.parse("2024-01-05T09:00:00Z"));
        assertThat(row.instant("seconds")).isEqualTo(Instant.parse("2024-01-05T09:00:00.250Z"));
        assertThat(row.instant("millis")).isEqualTo(Instant.parse("2024-01-05T09:00:00.250Z"));
        assertThat(row.instant("absent")).isNull();
        assertThatThrownBy(() -> row.instant("text")).hasMessage("text is not a date and time");
    }

    @Test
    void onlyBcryptHashesAreTakenAsHashesAndIdsAreDeterministic() {
        assertThat(AccountImport.isBcrypt("$2b$04$abcdefghijklmnopqrstuu5zVJY7QpZJ4mK0cJ0M9b1rOeHnHmT1K")).isTrue();
        assertThat(AccountImport.isBcrypt("$2a$12$abcdefghijklmnopqrstuu5zVJY7QpZJ4mK0cJ0M9b1rOeHnHmT1K")).isTrue();
        assertThat(AccountImport.isBcrypt("pbkdf2_sha256$600000$salt$hash")).isFalse();
        assertThat(AccountImport.isBcrypt("$2b$04$short")).isFalse();
        assertThat(AccountImport.isBcrypt("correct horse battery staple")).isFalse();
        assertThat(AccountImport.userId("u-1")).isEqualTo(AccountImport.userId("u-1")).hasSize(22)
                .isNotEqualTo(AccountImport.userId("u-2"));
        assertThat(PrototypeImport.clientMessageId("c1", "1")).matches("prototype-[A-Za-z0-9_-]{22}")
                .isNotEqualTo(PrototypeImport.clientMessageId("c1", "2"));
    }
}
