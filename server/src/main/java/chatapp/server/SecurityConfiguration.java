package chatapp.server;

import chatapp.core.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import chatapp.core.CursorCodec;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP security: stateless, bearer tokens only (no cookies, so no CSRF surface), public
 * health, docs and static files; every {@code /api/v1} endpoint needs a token except those
 * API.md names. A valid access token ({@link AccessTokens}, checked by {@link BearerTokenFilter})
 * makes the userId the principal: {@code Authentication.getName()} and
 * {@code @AuthenticationPrincipal String userId} give it. Refusals are problem documents.
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
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AccessTokens accessTokens(SigningKeys keys, Clock clock) {
        return new AccessTokens(keys, clock);
    }

    /** Cursors of every list (API.md "Lists"), keyed by a key derived from the signing key. */
    @Bean
    CursorCodec cursorCodec(SigningKeys keys) {
        return new CursorCodec(keys.cursorKey());
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, JsonMapper json, AccessTokens tokens) throws Exception {
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .addFilterBefore(new BearerTokenFilter(tokens, json), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/v1/auth/register", "/api/v1/auth/login",
                                "/api/v1/auth/refresh").permitAll()
                        .requestMatchers("/api/v1/media/files/**").permitAll() // signed download links (docs/media.md)
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().permitAll())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> write(res, json, ErrorCode.UNAUTHORIZED,
                                "a valid access token is required (Authorization: Bearer ...)"))
                        .accessDeniedHandler((req, res, ex) -> write(res, json, ErrorCode.FORBIDDEN, "not allowed")));
        return http.build();
    }

    /** Writes a problem document from outside Spring MVC (filters). */
    static void write(HttpServletResponse response, JsonMapper json, ErrorCode code, String detail) throws IOException {
        write(response, json, Problems.of(code, detail, List.of()));
    }

    /** Writes {@code problem} with its own status, from outside Spring MVC (filters). */
    static void write(HttpServletResponse response, JsonMapper json, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
