package chatapp.aws;

import chatapp.importing.PrototypeRow;
import chatapp.importing.PrototypeSource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The Django prototype's DynamoDB tables ({@code users}, {@code chats}), read where they are by
 * a consistent scan, a page at a time (the import reads them whole; ChatApp's own requests never
 * scan). They must be other tables than ChatApp's own, which reuse the names: another account,
 * region or endpoint, or ChatApp's tables under a prefix (docs/operations.md).
 */
public final class PrototypeTables implements PrototypeSource, AutoCloseable {

    private final DynamoDbClient client;
    private final DynamoSettings settings;
    private final String usersTable;
    private final String chatsTable;

    /**
     * @param settings where the prototype's tables are (region, endpoint, credentials; the
     *     prefix is ignored: the names are given whole)
     * @param usersTable the full name of the prototype's users table
     * @param chatsTable the full name of the prototype's chats table
     */
    public PrototypeTables(DynamoSettings settings, String usersTable, String chatsTable) {
        this.settings = Objects.requireNonNull(settings);
        this.usersTable = Objects.requireNonNull(usersTable);
        this.chatsTable = Objects.requireNonNull(chatsTable);
        this.client = settings.client();
    }

    @Override
    public void users(Consumer<PrototypeRow> each) {
        scan(usersTable, each);
    }

    @Override
    public void chats(Consumer<PrototypeRow> each) {
        scan(chatsTable, each);
    }

    @Override
    public String describe() {
        return "DynamoDB tables " + usersTable + " and " + chatsTable
                + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
    }

    private void scan(String table, Consumer<PrototypeRow> each) {
        long n = 0;
        for (Map<String, AttributeValue> item : client.scanPaginator(ScanRequest.builder().tableName(table)
                .consistentRead(true).build()).items()) {
            n++;
            String where = table + " item " + n;
            try {
                each.accept(PrototypeRow.of(where, map(item)));
            } catch (IllegalArgumentException e) {
                each.accept(PrototypeRow.unreadable(where, e.getMessage()));
            }
        }
    }

    private static Map<String, Object> map(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    /** One attribute as plain Java, as {@link PrototypeRow} describes. */
    static Object value(AttributeValue v) {
        return switch (v.type()) {
            case S -> v.s();
            case N -> new BigDecimal(v.n());
            case BOOL -> v.bool();
            case NUL -> null;
            case M -> map(v.m());
            case L -> {
                List<Object> list = new ArrayList<>();
                v.l().forEach(e -> list.add(value(e)));
                yield list;
            }
            case SS -> List.copyOf(v.ss());
            case NS -> v.ns().stream().map(n -> (Object) new BigDecimal(n)).toList();
            case B -> java.util.Base64.getEncoder().encodeToString(v.b().asByteArray());
            case BS -> v.bs().stream().map(b -> java.util.Base64.getEncoder().encodeToString(b.asByteArray())).toList();
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("an attribute of an unknown type");
        };
    }

    @Override
    public void close() {
        client.close();
    }
}
