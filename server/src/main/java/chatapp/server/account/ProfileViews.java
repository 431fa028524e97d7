package chatapp.server.account;

import chatapp.account.Profile;
import chatapp.account.Profiles;
import chatapp.account.User;
import chatapp.chat.ConversationState;
import chatapp.chat.ConversationView;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Public views with their profiles (issue 21), a page at a time: one batch read of the profiles
 * per page ({@link Profiles#of(java.util.Collection)}), not one per item. The callers have
 * decided who is listed (the directory, {@code GET /users/{id}}: parents never see parents,
 * blocked users are hidden); in a conversation the peer's profile is left out while the
 * conversation is blocked, and for a deleted peer (docs/security.md, "Profiles").
 */
@Component
public class ProfileViews {

    private final Profiles profiles;

    ProfileViews(Profiles profiles) {
        this.profiles = profiles;
    }

    /** The profiles these views are made of. */
    Profiles profiles() {
        return profiles;
    }

    /** One user's view with their profile. */
    public UserView view(User u) {
        return UserView.of(u, profiles.of(u.userId()));
    }

    /** Views of these users, with their profiles read in one batch. */
    public List<UserView> views(List<User> users) {
        Map<String, Profile> found = profiles.of(users.stream().map(User::userId).toList());
        return users.stream().map(u -> UserView.of(u, found.getOrDefault(u.userId(), Profile.EMPTY))).toList();
    }

    /** The peer views of these conversations, with the profiles read in one batch. */
    public Function<ConversationView, UserView> peers(List<ConversationView> conversations) {
        Map<String, Profile> found = profiles.of(conversations.stream().filter(ProfileViews::showsProfile)
                .map(v -> v.peer().userId()).distinct().toList());
        return v -> UserView.of(v.peer(), showsProfile(v)
                ? found.getOrDefault(v.peer().userId(), Profile.EMPTY) : Profile.EMPTY);
    }

    /** The peer view of one conversation. */
    public UserView peer(ConversationView conversation) {
        return peers(List.of(conversation)).apply(conversation);
    }

    private static boolean showsProfile(ConversationView v) {
        return !v.peerDeleted() && v.consent().state() != ConversationState.BLOCKED;
    }
}
