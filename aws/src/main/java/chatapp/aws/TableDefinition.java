package chatapp.aws;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One DynamoDB table as ChatApp needs it: keys, global secondary indexes (all projecting every
 * attribute) and the time-to-live attribute (epoch seconds) that makes its items expire by
 * themselves. Defined once in {@link Tables}; used by {@code create-tables}, the tests and the
 * deploy template's drift test.
 *
 * @param name the base name, without {@code CHATAPP_TABLE_PREFIX}
 * @param ttlAttribute null if items never expire
 */
public record TableDefinition(String name, Key partitionKey, Key sortKey, List<Index> indexes, String ttlAttribute) {

    public TableDefinition {
        indexes = List.copyOf(indexes);
    }

    /** A key attribute: its name and DynamoDB scalar type. */
    public record Key(String attribute, ScalarAttributeType type) {
        public static Key string(String attribute) {
            return new Key(attribute, ScalarAttributeType.S);
        }

        public static Key number(String attribute) {
            return new Key(attribute, ScalarAttributeType.N);
        }
    }

    /** A global secondary index, projecting all attributes. {@code sortKey} may be null. */
    public record Index(String name, Key partitionKey, Key sortKey) {
    }
}
