package chatapp.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made on first use and then kept (thread-safe: made once even when first asked for by
 * several threads). The shapes' factories and the Lambda's wiring use it so that a process pays
 * only for the clients and services it actually needs (a Lambda cold start above all).
 *
 * @param <T> what is made; never null
 */
public final class Lazy<T> implements Supplier<T> {

    private final Supplier<T> make;
    private volatile T value;

    private Lazy(Supplier<T> make) {
        this.make = Objects.requireNonNull(make);
    }

    /** A lazy value made by {@code make} on the first {@link #get()}. */
    public static <T> Lazy<T> of(Supplier<T> make) {
        return new Lazy<>(make);
    }

    /**
     * The value, made now if this is the first call.
     *
     * @throws NullPointerException if {@code make} returned null
     * @throws RuntimeException whatever {@code make} threw; the next call tries again
     */
    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = Objects.requireNonNull(make.get(), "a lazy value was made as null");
                    value = v;
                }
            }
        }
        return v;
    }

    /**
     * Closes the value if it was made (without making it), and forgets it; a failure to close
     * is ignored, since closing a client only releases its connections.
     */
    public synchronized void closeIfMade() {
        if (value instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing to report: the connections are released as far as they can be
            }
        }
        value = null;
    }
}
