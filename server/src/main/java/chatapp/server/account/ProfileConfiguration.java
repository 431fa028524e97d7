package chatapp.server.account;

import chatapp.account.Profiles;
import chatapp.account.UserStore;
import chatapp.media.Avatars;
import chatapp.media.MediaFiles;
import chatapp.media.MediaService;
import chatapp.media.MediaStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires profiles and avatars (issue 21) on the shape's stores and the one media pipeline. */
@Configuration(proxyBeanMethods = false)
class ProfileConfiguration {

    @Bean
    Profiles profiles(UserStore users) {
        return new Profiles(users);
    }

    @Bean
    Avatars avatars(MediaService media, MediaStore store, MediaFiles files, Profiles profiles) {
        return new Avatars(media, store, files, profiles);
    }
}
