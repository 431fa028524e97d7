package chatapp.core;

import java.util.List;

/**
 * One page of a cursor-paginated list (API.md, "Lists"): the items and the opaque cursor of
 * the next page, or null when there is none.
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    /** The smallest and largest {@code limit} a client may ask for, and the default (API.md). */
    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 50;

    /**
     * Checks a client's {@code limit}: null gives the default; outside 1..100 is
     * {@code validation_failed} on field {@code limit}.
     */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < MIN_LIMIT || requested > MAX_LIMIT) {
            throw ChatAppException.invalid("limit", "must be between 1 and 100");
        }
        return requested;
    }
}
