package chatapp.server;

/**
 * A mistake the operator can fix (a port taken, a data directory locked, a key missing, settings
 * no shape can serve): its message is the one line the CLI prints on stderr before it exits
 * with status 1, without a stack trace.
 */
public final class OperatorError extends RuntimeException {

    public OperatorError(String message) {
        super(message, null, false, false);
    }
}
