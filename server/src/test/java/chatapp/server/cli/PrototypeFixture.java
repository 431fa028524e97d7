package chatapp.server.cli;

import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Django prototype's data as its tables held it: accounts with a bcrypt hash ($2b$, made by a
 * real bcrypt implementation at cost 4), a clear-text password and a username ChatApp refuses;
 * messages read and unread, a photo served by a real local HTTP server, a photo whose URL answers
 * 404, and malformed rows. Written into DynamoDB tables or as a DynamoDB JSON export.
 */
final class PrototypeFixture implements AutoCloseable {

    static final String BOB_PASSWORD = "Bob-Prototype-Pass-1";
    static final String DANA_PASSWORD = "Dana-Prototype-Pass-2";
    static final String FATIMA_CLEAR_TEXT = "fatima12345678";
    static final String BOB_EMAIL = "bob.proto@example.com";
    static final String FATIMA_EMAIL = "fatima.proto@example.com";
    static final String DANA_EMAIL = "dana.proto@example.com";
    static final String CARL_EMAIL = "carl.proto@example.com";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final byte[] photo = png();
    final AtomicInteger photoRequests = new AtomicInteger();
    private final HttpServer http;
    /** When set, the photo's request waits here until counted down (to kill the import mid-way). */
    volatile CountDownLatch holdPhoto;
    final CountDownLatch photoRequested = new CountDownLatch(1);

    final List<Map<String, AttributeValue>> users = new ArrayList<>();
    final List<Map<String, AttributeValue>> chats = new ArrayList<>();
    final String bcryptBob = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2B, 4).encode(BOB_PASSWORD);

    PrototypeFixture() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/bucket/photo.png", exchange -> {
            photoRequests.incrementAndGet();
            photoRequested.countDown();
            CountDownLatch hold = holdPhoto;
            if (hold != null) {
                try {
                    hold.await(300, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, photo.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(photo);
                }
            } catch (IOException e) {
                // the importer was killed while we waited
            }
        });
        http.createContext("/bucket/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(404, -1);
            }
        });
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort() + "/bucket/";
        String dana = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2B, 4).encode(DANA_PASSWORD);

        users.add(item("userId", s("u-bob"), "username", s("bobproto"), "email", s("Bob.Proto@Example.com"),
                "password", s(bcryptBob), "userType", s("therapist"), "specialization", s("Speech therapy"),
                "createdAt", s("2024-01-05T09:00:00.123456")));
        users.add(item("userId", s("u-fatima"), "username", s("fatimaproto"), "email", s(FATIMA_EMAIL),
                "password", s(FATIMA_CLEAR_TEXT), "userType", s("parent"), "childrenCount", n("2"),
                "createdAt", s("2024-01-06T10:00:00+00:00")));
        users.add(item("userId", s("u-dana"), "username", s("danaproto"), "email", s(DANA_EMAIL),
                "password", s(dana), "userType", s("parent"), "childrenCount", n("1"),
                "createdAt", n("1704531600")));
        users.add(item("userId", s("u-carl"), "username", s("carl proto"), "email", s(CARL_EMAIL),
                "password", s(bcryptBob), "userType", s("therapist"), "specialization", s("Play"),
                "createdAt", s("2024-01-07T10:00:00Z")));
        users.add(item("username", s("nobody"), "email", s("nobody@example.com"))); // no userId

        // fatima <-> bob: two read, a photo (unread), a text (unread), a photo whose URL is gone
        chats.add(message("c1", "2024-02-01T10:00:00Z", "u-fatima", "u-bob", "text", "Hello, is Tuesday fine?",
                "2024-02-01T10:05:00Z"));
        chats.add(message("c1", "2024-02-01T10:06:00Z", "u-bob", "u-fatima", "text", "Tuesday at 10 works.",
                "2024-02-01T11:00:00Z"));
        chats.add(message("c1", "2024-02-02T08:00:00Z", "u-fatima", "u-bob", "image", base + "photo.png", null));
        chats.add(message("c1", "2024-02-02T09:00:00Z", "u-bob", "u-fatima", "text", "Thanks for the drawing!",
                null));
        chats.add(message("c1", "2024-02-02T09:30:00Z", "u-fatima", "u-bob", "image", base + "gone.png", null));
        // dana <-> bob, participants instead of recipientId, epoch-number times
        Map<String, AttributeValue> d1 = item("chatId", s("c2"), "timestamp", s("1706781600000"),
                "senderId", s("u-dana"), "participants", AttributeValue.fromL(List.of(s("u-dana"), s("u-bob"))),
                "content", AttributeValue.fromM(item("type", s("text"), "value", s("Can we move the session?"))),
                "createdAt", n("1706781600"));
        chats.add(d1);
        chats.add(item("chatId", s("c2"), "timestamp", s("1706785200000"), "senderId", s("u-bob"),
                "participants", AttributeValue.fromL(List.of(s("u-bob"), s("u-dana"))),
                "content", AttributeValue.fromM(item("type", s("text"), "value", s("Yes, Thursday?"))),
                "createdAt", n("1706785200.5"), "readAt", n("1706786000000")));
        // malformed and refused rows
        chats.add(item("chatId", s("c1"), "timestamp", s("2024-02-03T00:00:00Z"), "senderId", s("u-bob"),
                "recipientId", s("u-fatima"), "createdAt", s("2024-02-03T00:00:00Z"))); // no content
        chats.add(message("c3", "2024-02-04T00:00:00Z", "u-ghost", "u-bob", "text", "who am I", null));
        chats.add(message("c4", "2024-02-04T00:00:00Z", "u-carl", "u-dana", "text", "refused sender", null));
        chats.add(message("c1", "2024-02-05T00:00:00Z", "u-bob", "u-fatima", "text", "bell\u0007", null));
        chats.add(message("c5", "2024-02-05T00:00:00Z", "u-fatima", "u-dana", "text", "two parents", null));
    }

    /** How many prototype messages can come over. */
    static final int GOOD_MESSAGES = 6;

    private static Map<String, AttributeValue> message(String chatId, String timestamp, String sender,
            String recipient, String type, String value, String readAt) {
        Map<String, AttributeValue> m = item("chatId", s(chatId), "timestamp", s(timestamp), "senderId", s(sender),
                "recipientId", s(recipient),
                "content", AttributeValue.fromM(item("type", s(type), "value", s(value))),
                "createdAt", s(timestamp));
        m.put("readAt", readAt == null ? AttributeValue.fromNul(true) : s(readAt));
        return m;
    }

    static Map<String, AttributeValue> item(Object... pairs) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (AttributeValue) pairs[i + 1]);
        }
        return m;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    /** The prototype's tables, unprefixed, in {@code client}'s DynamoDB. */
    void writeTables(DynamoDbClient client) {
        client.createTable(b -> b.tableName("users").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("userId")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("userId").keyType(KeyType.HASH).build()));
        client.createTable(b -> b.tableName("chats").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("chatId").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("timestamp").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("chatId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("timestamp").keyType(KeyType.RANGE).build()));
        for (Map<String, AttributeValue> u : users) {
            if (u.containsKey("userId")) {
                client.putItem(b -> b.tableName("users").item(u));
            }
        }
        chats.forEach(c -> client.putItem(b -> b.tableName("chats").item(c)));
    }

    /**
     * The tables as a DynamoDB export: {@code users.json} (plain, with a line that is not JSON)
     * and {@code chats/} holding a gzipped part, as S3 exports are.
     */
    Path[] writeExport(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("chats"));
        Path usersFile = dir.resolve("users.json");
        List<String> lines = new ArrayList<>(users.stream().map(PrototypeFixture::exportLine).toList());
        lines.add(2, "{\"Item\": {\"userId\": {\"S\": \"u-broken\"}"); // cut off
        Files.write(usersFile, lines);
        Path chatsPart = dir.resolve("chats").resolve("part-0001.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(chatsPart))) {
            for (Map<String, AttributeValue> c : chats) {
                out.write((exportLine(c) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Path[] {usersFile, dir.resolve("chats")};
    }

    private static String exportLine(Map<String, AttributeValue> item) {
        ObjectNode line = JSON.createObjectNode();
        line.set("Item", json(item));
        return JSON.writeValueAsString(line);
    }

    private static ObjectNode json(Map<String, AttributeValue> item) {
        ObjectNode node = JSON.createObjectNode();
        item.forEach((k, v) -> node.set(k, json(v)));
        return node;
    }

    private static ObjectNode json(AttributeValue v) {
        ObjectNode typed = JSON.createObjectNode();
        switch (v.type()) {
            case S -> typed.put("S", v.s());
            case N -> typed.put("N", v.n());
            case NUL -> typed.put("NULL", true);
            case M -> typed.set("M", json(v.m()));
            case L -> {
                var list = typed.putArray("L");
                v.l().forEach(e -> list.add(json(e)));
            }
            default -> throw new IllegalArgumentException(v.type().toString());
        }
        return typed;
    }

    private static byte[] png() {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 40, 30);
        g.setColor(Color.BLUE);
        g.fillOval(5, 5, 20, 20);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        CountDownLatch hold = holdPhoto;
        if (hold != null) {
            hold.countDown();
        }
        http.stop(0);
    }
}
