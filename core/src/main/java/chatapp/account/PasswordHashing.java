package chatapp.account;

import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The seam through which core hashes and checks passwords without knowing the algorithm (the
 * server supplies Spring Security's delegating encoder; see docs/decisions). Hashes carry
 * their algorithm prefix, e.g. {@code {argon2}$argon2id$...} or a prototype {@code $2b$12$...}.
 *
 * @param encode raw password to a new encoded hash (slow on purpose)
 * @param matches (raw password, encoded hash) to whether they match; false for a hash it
 *     cannot read
 * @param needsUpgrade whether an encoded hash should be replaced by a fresh {@code encode}
 *     (older algorithm or cost) after a successful login
 */
public record PasswordHashing(Function<String, String> encode, BiPredicate<String, String> matches,
        Predicate<String> needsUpgrade) {

    public PasswordHashing {
        Objects.requireNonNull(encode);
        Objects.requireNonNull(matches);
        Objects.requireNonNull(needsUpgrade);
    }
}
