package chatapp.aws;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Short forms of DynamoDB's string and number values, used by every table class. */
final class AttributeValues {

    private AttributeValues() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** A stored number as a long. */
    static long longOf(AttributeValue value) {
        return Long.parseLong(value.n());
    }
}
