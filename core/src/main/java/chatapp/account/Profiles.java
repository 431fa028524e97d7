package chatapp.account;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.FieldError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Profiles (issue 21): reading them for views, a batch at a time, and changing one's own under
 * {@link ProfileRules}. Changes are compare-and-set on the stored profile, so two changes at
 * once never lose one another's fields (nor an avatar, whose bytes would then be lost track of).
 * Who may see a profile is decided by the caller ({@link Accounts#profile}, blocks).
 */
public final class Profiles {

    private static final int ATTEMPTS = 5;

    private final UserStore users;

    public Profiles(UserStore users) {
        this.users = Objects.requireNonNull(users);
    }

    /** The profile of {@code userId}; {@link Profile#EMPTY} if none was set or the account is gone. One read by key. */
    public Profile of(String userId) {
        return users.profiles(List.of(userId)).getOrDefault(userId, Profile.EMPTY);
    }

    /** The non-empty profiles of these users, by id; one batch of reads by key. */
    public Map<String, Profile> of(Collection<String> userIds) {
        return userIds.isEmpty() ? Map.of() : users.profiles(userIds);
    }

    /** A profile change that was stored, and the names of the fields it changed (for the audit log). */
    public record Edited(Profile profile, List<String> fields) {
    }

    /**
     * Changes {@code user}'s profile (API.md, {@code PATCH /users/me/profile}): null fields stay,
     * empty strings clear.
     *
     * @throws ChatAppException {@code validation_failed} naming every invalid field (a look-alike or
     *     invisible character in the display name, a therapist's field sent by a parent, a length);
     *     {@code not_found} if the account is gone; {@code conflict} if it kept changing meanwhile
     */
    public Edited edit(User user, ProfileEdit edit) {
        List<FieldError> errors = new ArrayList<>();
        String displayName = edit.displayName() == null ? null : ProfileRules.displayName(edit.displayName(), errors);
        String bio = edit.bio() == null ? null
                : ProfileRules.text("bio", user.userType(), edit.bio(), ProfileRules.BIO_MAX, true, errors);
        String credentials = edit.credentials() == null ? null : ProfileRules.text("credentials", user.userType(),
                edit.credentials(), ProfileRules.CREDENTIALS_MAX, false, errors);
        String practice = edit.practice() == null ? null : ProfileRules.text("practice", user.userType(),
                edit.practice(), ProfileRules.PRACTICE_MAX, false, errors);
        if (!errors.isEmpty()) {
            throw ChatAppException.invalid(errors);
        }
        List<String> fields = new ArrayList<>();
        Profile stored = change(user.userId(), p -> {
            fields.clear();
            String d = pick("displayName", p.displayName(), displayName, fields);
            String b = pick("bio", p.bio(), bio, fields);
            String c = pick("credentials", p.credentials(), credentials, fields);
            String r = pick("practice", p.practice(), practice, fields);
            return new Profile(d, p.avatarMediaId(), b, c, r);
        });
        return new Edited(stored, List.copyOf(fields));
    }

    /**
     * Sets (or with null, removes) {@code userId}'s avatar.
     *
     * @return the avatar it replaced (null if none): its media are the caller's to delete
     * @throws ChatAppException {@code not_found} if the account is gone; {@code conflict} if it kept changing
     */
    public String replaceAvatar(String userId, String mediaId) {
        String[] previous = new String[1];
        change(userId, p -> {
            previous[0] = p.avatarMediaId();
            return p.withAvatar(mediaId);
        });
        // a retried write that had landed reads back as ours: then nothing was replaced
        return mediaId != null && mediaId.equals(previous[0]) ? null : previous[0];
    }

    private Profile change(String userId, UnaryOperator<Profile> next) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Profile current = of(userId);
            Profile updated = next.apply(current);
            if (updated.equals(current) || users.replaceProfile(userId, current, updated)) {
                return updated;
            }
        }
        throw new ChatAppException(ErrorCode.CONFLICT, "the profile kept changing meanwhile; try again");
    }

    /** The new value of one field: unchanged when not sent, null when cleared; names it in {@code fields} when it changes. */
    private static String pick(String name, String current, String sent, List<String> fields) {
        String value = sent == null ? current : (sent.isEmpty() ? null : sent);
        if (!Objects.equals(value, current)) {
            fields.add(name);
        }
        return value;
    }
}
