package chatapp.server.cli;

import chatapp.account.Accounts;
import chatapp.account.Registration;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.io.PrintStream;
import java.util.List;

/**
 * The demo accounts of {@code ./chatapp seed} (README "Demo accounts"): therapist {@code bob}
 * and parent {@code fatima}, as the prototype had, and a few more of each type. Idempotent: an
 * account that exists (by email or username) is left alone. The passwords meet the policy and
 * are public (README): demo data only, never for real use.
 */
final class DemoAccounts {

    record Demo(String username, String email, String password, String userType, String specialization,
            Integer childrenCount) {
    }

    static final List<Demo> ALL = List.of(
            new Demo("bob", "bob@example.com", "Harbor-Lantern-2026", "therapist", "Speech and language therapy", null),
            new Demo("fatima", "fatima@example.com", "Saffron-Kite-2026", "parent", null, 2),
            new Demo("amara", "amara@example.com", "Copper-Meadow-2026", "therapist", "Occupational therapy", null),
            new Demo("lukas", "lukas@example.com", "Quiet-Orchard-2026", "therapist", "Play therapy", null),
            new Demo("sofia", "sofia@example.com", "Velvet-Compass-2026", "parent", null, 1),
            new Demo("james", "james@example.com", "Amber-Glacier-2026", "parent", null, 3));

    private DemoAccounts() {
    }

    /** Registers every missing demo account; prints one line per account (the password only when new). */
    static void seed(Accounts accounts, PrintStream out) {
        for (Demo d : ALL) {
            try {
                accounts.register(new Registration(d.username(), d.email(), d.password(), d.userType(),
                        d.specialization(), d.childrenCount()));
                out.printf("created %-9s %-7s %-20s password %s%n", d.userType(), d.username(), d.email(), d.password());
            } catch (ChatAppException e) {
                if (e.code() != ErrorCode.EMAIL_TAKEN && e.code() != ErrorCode.USERNAME_TAKEN) {
                    throw e;
                }
                out.printf("exists  %-9s %-7s %s%n", d.userType(), d.username(), d.email());
            }
        }
    }
}
