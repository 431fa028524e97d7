package chatapp.server;

import chatapp.core.CursorCodec;
import chatapp.server.security.SigningKeys;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot application, started by the command line ({@code chatapp.server.cli.ChatApp}).
 * It sits at the root so that Spring finds every package below it: {@code shape} (which
 * adapters serve the ports), {@code security}, {@code http} (problem documents and the filters
 * that refuse requests), and the features {@code account}, {@code chat}, {@code media},
 * {@code realtime}, {@code web}. Here too, the beans every feature shares: the clock and the
 * cursors of lists.
 */
// No user store of Spring's own: accounts are ChatApp's (bearer tokens only), and Boot's default
// would log a generated password.
@SpringBootApplication(excludeName = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
@ConfigurationPropertiesScan
public class ChatAppServer {

    /**
     * For Spring's AOT processing at build time only ({@code process-aot} in server/pom.xml, which
     * runs a main method to find the application's bean definitions). The server starts through
     * {@code chatapp.server.cli.ChatApp}, which uses what this produced.
     */
    public static void main(String[] args) {
        SpringApplication.run(ChatAppServer.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Cursors of every list (API.md "Lists"), keyed by a key derived from the signing key. */
    @Bean
    CursorCodec cursorCodec(SigningKeys keys) {
        return new CursorCodec(keys.cursorKey());
    }
}
