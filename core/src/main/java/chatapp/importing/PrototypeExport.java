package chatapp.importing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prototype's tables as a DynamoDB export to S3 in DynamoDB JSON, copied to this machine:
 * one {@code {"Item": {...}}} per line, each attribute typed ({@code {"S": "..."}},
 * {@code {"N": "42"}}, ...). Each table is a file or a folder (an export's {@code data/}
 * folder): every {@code *.json} and {@code *.json.gz} file in it, by name; gzipped files are read
 * as such. A line that is not such an item becomes an unreadable row, not a failure.
 */
public final class PrototypeExport implements PrototypeSource {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path users;
    private final Path chats;

    /**
     * @throws IllegalArgumentException if either path does not exist
     */
    public PrototypeExport(Path users, Path chats) {
        for (Path p : List.of(users, chats)) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("no such file or folder: " + p);
            }
        }
        this.users = users;
        this.chats = chats;
    }

    @Override
    public void users(Consumer<PrototypeRow> each) {
        read(users, "users", each);
    }

    @Override
    public void chats(Consumer<PrototypeRow> each) {
        read(chats, "chats", each);
    }

    @Override
    public String describe() {
        return "DynamoDB export: users " + users + ", chats " + chats;
    }

    private static void read(Path path, String table, Consumer<PrototypeRow> each) {
        for (Path file : files(path)) {
            String name = table + " export " + file.getFileName();
            try (InputStream raw = Files.newInputStream(file);
                    InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                int number = 0;
                for (String line; (line = lines.readLine()) != null; ) {
                    number++;
                    if (!line.isBlank()) {
                        each.accept(item(name + " line " + number, line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<Path> files(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> listed = Files.list(path)) {
            return listed.filter(p -> p.getFileName().toString().endsWith(".json")
                    || p.getFileName().toString().endsWith(".json.gz")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }

    private static PrototypeRow item(String where, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            return PrototypeRow.unreadable(where, "not JSON");
        }
        JsonNode item = node == null ? null : node.get("Item");
        if (item == null || !item.isObject()) {
            return PrototypeRow.unreadable(where, "not a DynamoDB JSON item ({\"Item\": {...}})");
        }
        try {
            return PrototypeRow.of(where, attributes(item));
        } catch (IllegalArgumentException e) {
            return PrototypeRow.unreadable(where, e.getMessage());
        }
    }

    private static Map<String, Object> attributes(JsonNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            out.put(e.getKey(), value(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** One typed DynamoDB JSON value, e.g. {@code {"S": "x"}}, as plain Java. */
    static Object value(String name, JsonNode typed) {
        if (typed == null || !typed.isObject() || typed.size() != 1) {
            throw new IllegalArgumentException("attribute " + name + " is not a typed DynamoDB JSON value");
        }
        Map.Entry<String, JsonNode> only = typed.properties().iterator().next();
        JsonNode v = only.getValue();
        return switch (only.getKey()) {
            case "S", "B" -> v.isString() ? v.stringValue() : bad(name);
            case "N" -> {
                try {
                    yield new BigDecimal(v.asString());
                } catch (NumberFormatException e) {
                    yield bad(name);
                }
            }
            case "BOOL" -> v.isBoolean() ? v.booleanValue() : bad(name);
            case "NULL" -> null;
            case "M" -> v.isObject() ? attributes(v) : bad(name);
            case "L" -> {
                List<Object> list = new ArrayList<>();
                v.values().forEach(element -> list.add(value(name, element)));
                yield list;
            }
            case "SS", "BS" -> v.values().stream().map(JsonNode::asString).toList();
            case "NS" -> v.values().stream().map(n -> (Object) new BigDecimal(n.asString())).toList();
            default -> bad(name);
        };
    }

    private static Object bad(String name) {
        throw new IllegalArgumentException("attribute " + name + " is not a typed DynamoDB JSON value");
    }
}
