package chatapp.importing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * One item of a prototype table, its DynamoDB types turned into plain Java: S as
 * {@link String}, N as {@link BigDecimal}, BOOL as {@link Boolean}, NULL as null, M as
 * {@link Map}, L, SS and NS as {@link List}, B as base64 text. An item the source could not read
 * (a line that is not DynamoDB JSON) has no attributes and says why in {@code problem}.
 *
 * @param where the item's place in the source, for the report, e.g. {@code chats export line 12}
 * @param problem why the item could not be read, else null
 */
public record PrototypeRow(String where, Map<String, Object> attributes, String problem) {

    /** A row that could be read. */
    public static PrototypeRow of(String where, Map<String, Object> attributes) {
        return new PrototypeRow(where, attributes, null);
    }

    /** A row that could not be read, and why. */
    public static PrototypeRow unreadable(String where, String problem) {
        return new PrototypeRow(where, Map.of(), problem);
    }

    /** The attribute as text: a string as it is, a number in plain notation; null if absent or of another type. */
    String text(String name) {
        Object v = attributes.get(name);
        if (v instanceof String s) {
            return s;
        }
        return v instanceof BigDecimal n ? n.toPlainString() : null;
    }

    /**
     * The attribute as an instant: ISO-8601 text (with an offset, or without one, read as UTC, as
     * Django's naive datetimes are), or a number of epoch seconds (fractions allowed), or of epoch
     * milliseconds for numbers above 10^11.
     *
     * @throws IllegalArgumentException naming the attribute if it is neither
     */
    Instant instant(String name) {
        Object v = attributes.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal n) {
            BigDecimal millis = n.compareTo(BigDecimal.valueOf(100_000_000_000L)) > 0 ? n : n.movePointRight(3);
            return Instant.ofEpochMilli(millis.longValue());
        }
        if (v instanceof String s) {
            String t = s.strip();
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    try {
                        return Instant.parse(t);
                    } catch (DateTimeParseException e3) {
                        throw new IllegalArgumentException(name + " is not a date and time");
                    }
                }
            }
        }
        throw new IllegalArgumentException(name + " is not a date and time");
    }
}
