package chatapp.account;

/**
 * What a user shows besides the username (issue 21, "Profiles"): a display name and an avatar
 * photo for everyone, a short bio, credentials and practice for therapists. Each field is null
 * when unset; the text fields are stored as {@link ProfileRules} cleaned them (display name in
 * NFKC). Who may see it: docs/security.md, "Profiles".
 *
 * @param avatarMediaId the photo's id in the media store, processed like every photo
 *     ({@code chatapp.media.Avatars}); null without an avatar
 */
public record Profile(String displayName, String avatarMediaId, String bio, String credentials, String practice) {

    /** No field set: what an account has until its user fills anything in. */
    public static final Profile EMPTY = new Profile(null, null, null, null, null);

    /** Whether no field is set. */
    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /** This profile with another avatar (null: none). */
    public Profile withAvatar(String mediaId) {
        return new Profile(displayName, mediaId, bio, credentials, practice);
    }

    @Override
    public String toString() {
        return "Profile[avatar=" + (avatarMediaId != null) + "]"; // nothing a user typed goes to a log
    }
}
