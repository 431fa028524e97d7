package chatapp.embedded;

/**
 * The data directory cannot be used: not writable, or held by another ChatApp process. The
 * message is one line meant for an operator; the CLI prints it and exits non-zero.
 */
public final class DataDirectoryException extends RuntimeException {
    public DataDirectoryException(String message) {
        super(message);
    }
}
