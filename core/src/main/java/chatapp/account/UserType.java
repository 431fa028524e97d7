package chatapp.account;

import java.util.Locale;

/** The two kinds of account (API.md, "User"). Only a parent and a therapist can converse. */
public enum UserType {
    PARENT, THERAPIST;

    /** The wire value: {@code parent} or {@code therapist}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a wire value, or null if {@code value} is neither. */
    public static UserType fromWire(String value) {
        if ("parent".equals(value)) {
            return PARENT;
        }
        if ("therapist".equals(value)) {
            return THERAPIST;
        }
        return null;
    }

    /** The type a user of this type converses with. */
    public UserType counterpart() {
        return this == PARENT ? THERAPIST : PARENT;
    }
}
