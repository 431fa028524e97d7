package chatapp.server.security;

import chatapp.account.Sessions;
import chatapp.core.ErrorCode;
import chatapp.media.MediaFiles;
import chatapp.server.ChatAppProperties;
import chatapp.server.http.ProblemWriter;
import java.time.Clock;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * HTTP security: stateless, bearer tokens only (no cookies, so no CSRF surface), public
 * health, docs and static files; every {@code /api/v1} endpoint needs a token except those
 * API.md names. A valid access token ({@link AccessTokens}, checked by {@link BearerTokenFilter})
 * makes the userId the principal: {@code Authentication.getName()} and
 * {@code @AuthenticationPrincipal String userId} give it. Refusals are problem documents
 * ({@link ProblemWriter}). Also which Host headers are this server's names ({@link OwnHost}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** The {@code /api/v1} endpoints that need no access token (API.md, "Conventions"). */
    static final Set<String> PUBLIC_API = Set.of("/api/v1/auth/register", "/api/v1/auth/login",
            "/api/v1/auth/refresh");

    /**
     * No observation per security filter: with Micrometer present, Spring Security would wrap each
     * of its filters in one, about 15% of a message send's CPU in a profile (docs/benchmarks.md).
     * The request's own {@code http.server.requests} observation stays.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SigningKeys signingKeys(ChatAppProperties properties) {
        return SigningKeys.of(properties);
    }

    @Bean
    AccessTokens accessTokens(SigningKeys keys, Clock clock) {
        return new AccessTokens(keys, clock);
    }

    /** Looks up this machine's name once. */
    @Bean
    OwnHost ownHost(ChatAppProperties properties) {
        return OwnHost.of(properties);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ProblemWriter problems, AccessTokens tokens, Sessions sessions)
            throws Exception {
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                // No login page to come back to after signing in: the request cache's filter is
                // off the path of every request (docs/benchmarks.md, "Where a REST send's CPU
                // went"). The servlet API integration stays: MVC gives controllers their
                // Authentication argument from request.getUserPrincipal().
                .requestCache(c -> c.disable())
                .addFilterBefore(new BearerTokenFilter(tokens, sessions, problems), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/v1/auth/register", "/api/v1/auth/login",
                                "/api/v1/auth/refresh").permitAll()
                        // email links (docs/api.md, "Email"): the token is the credential
                        .requestMatchers("/api/v1/auth/verify-email", "/api/v1/auth/password-reset",
                                "/api/v1/auth/password-reset/confirm", "/api/v1/unsubscribe").permitAll()
                        .requestMatchers(MediaFiles.SIGNED_PATH + "**").permitAll() // signed download links (docs/media.md)
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().permitAll())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> problems.write(res, ErrorCode.UNAUTHORIZED,
                                "a valid access token is required (Authorization: Bearer ...)"))
                        .accessDeniedHandler((req, res, ex) -> problems.write(res, ErrorCode.FORBIDDEN, "not allowed")));
        return http.build();
    }
}
