package chatapp.server;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.web.server.PortInUseException;

/**
 * A mistake the operator can fix (a port taken, a data directory locked, a key missing, settings
 * no shape can serve, a setting's value that does not parse): its message is the one line the CLI
 * prints on stderr before it exits with status 1, without a stack trace.
 */
public final class OperatorError extends RuntimeException {

    public OperatorError(String message) {
        super(message, null, false, false);
    }

    /**
     * The operator's mistake behind a failed start or command, if there is one: an
     * {@code OperatorError} anywhere in the causes (the shape bean raises one for a data directory
     * another ChatApp holds or that cannot be written), a port the web server found taken, or a
     * setting whose value does not parse (a {@code @ConfigurationProperties} binding, the
     * pre-start bind of {@code serve}, or a {@code @Value} conversion), named as its environment
     * variable, e.g. "CHATAPP_BACKUP_EVERY (chatapp.backup.every): 'soon' is not a valid duration",
     * "CHATAPP_PORT (chatapp.port): 'abc' is not a number", "CHATAPP_STORE (chatapp.store): 'postgres'
     * is not one of sqlite, dynamodb". The one translation of every such
     * mistake, so each reads the same wherever it is found.
     */
    public static Optional<OperatorError> behind(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OperatorError o) {
                return Optional.of(o);
            }
            if (t instanceof PortInUseException p) { // taken between serve's check and Tomcat's bind
                return Optional.of(portInUse(p.getPort()));
            }
            if (t instanceof BindException b) {
                ConfigurationProperty property = b.getProperty();
                String name = property != null ? property.getName().toString() : b.getName().toString();
                if (property != null && rootOf(b) instanceof NumberFormatException) {
                    // "For input string" names neither the setting nor what was wrong with it
                    return Optional.of(new OperatorError(variable(name) + " (" + name + "): '" + property.getValue()
                            + "' is not a number"));
                }
                Class<?> type = b.getTarget().getType().resolve();
                if (property != null && type != null && type.isPrimitive() && String.valueOf(property.getValue()).isBlank()) {
                    // "A null value cannot be assigned to a primitive type": the variable is set but empty
                    return Optional.of(new OperatorError(variable(name) + " (" + name + ") is empty: give it a value or unset it"));
                }
                if (property != null && type != null && type.isEnum()) {
                    // "No enum constant chatapp.server...Store.foo" names a class, not the choices
                    String choices = java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                            .collect(java.util.stream.Collectors.joining(", "));
                    return Optional.of(new OperatorError(variable(name) + " (" + name + "): '" + property.getValue()
                            + "' is not one of " + choices));
                }
                return Optional.of(setting(name, b));
            }
            if (t instanceof UnsatisfiedDependencyException u && u.getInjectionPoint() != null) {
                String name = valueSetting(u.getInjectionPoint());
                if (name != null) {
                    return Optional.of(setting(name, u));
                }
            }
        }
        return Optional.empty();
    }

    /** A port another process holds: the same line whether serve's check or the web server found it. */
    public static OperatorError portInUse(int port) {
        return new OperatorError("port " + port + " is already in use (set CHATAPP_PORT)");
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static OperatorError setting(String name, Throwable failure) {
        Throwable root = rootOf(failure);
        String message = String.valueOf(root.getMessage());
        Matcher named = NAMED.matcher(message);
        if (named.matches()) { // the message names the very setting (e.g. one field of a bound group)
            return new OperatorError(variable(named.group(1)) + " (" + named.group(1) + ")" + named.group(2));
        }
        return new OperatorError(variable(name) + " (" + name + "): " + message);
    }

    /** A message that starts with the setting it is about: "chatapp.limits.message-burst must be ...". */
    private static final Pattern NAMED = Pattern.compile("(chatapp\\.[a-z0-9.-]+[a-z0-9])( .*)", Pattern.DOTALL);

    /** The environment variable of a {@code chatapp.*} setting (Spring's relaxed binding). */
    private static String variable(String name) {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "_");
    }

    /** The property of a {@code @Value("${name:default}")} injection point; null for another kind. */
    private static String valueSetting(InjectionPoint point) {
        Value value = point.getAnnotation(Value.class);
        if (value == null || !value.value().startsWith("${")) {
            return null;
        }
        String inner = value.value().substring(2, value.value().indexOf('}') < 0 ? value.value().length() : value.value().indexOf('}'));
        int colon = inner.indexOf(':');
        return colon < 0 ? inner : inner.substring(0, colon);
    }
}
