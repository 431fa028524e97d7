package chatapp.server.notification;

import chatapp.account.Emails;
import chatapp.account.User;
import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.RateLimiter;
import chatapp.core.RateLimiter.Limit;
import chatapp.notification.EmailVerification;
import chatapp.notification.PasswordReset;
import chatapp.notification.UnsubscribeTokens;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import chatapp.server.http.Refusals;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Email verification, password reset and one-click unsubscribe (docs/api.md, "Email"). Translates
 * HTTP only; the rules are in core ({@code chatapp.notification}). No token appears in a log line
 * or an audit entry.
 */
@RestController
class EmailController {

    /** API.md: a reset request answers this, whether or not the address has an account. */
    static final Map<String, String> RESET_REQUESTED = Map.of("status", "requested",
            "detail", "if an account has this address, a link to set a new password is on its way; it works once, "
                    + "for 30 minutes");

    private final EmailVerification verification;
    private final PasswordReset reset;
    private final UnsubscribeTokens unsubscribe;
    private final PreferencesLookup preferences;
    private final AuditLog audit;
    private final chatapp.account.Accounts accounts;
    private final RateLimiter limiter;
    private final Limit resetsPerAddress = Limit.perPeriod("reset-email", 3, Duration.ofHours(1),
            "too many password reset requests for this address");
    private final Limit resetsPerIp = Limit.perPeriod("reset-ip", 20, Duration.ofMinutes(10),
            "too many password reset requests from this address");
    private final Limit confirmsPerIp = Limit.perPeriod("reset-confirm-ip", 20, Duration.ofMinutes(10),
            "too many attempts from this address");
    private final Limit verificationEmails = Limit.perPeriod("verification-email", 3, Duration.ofHours(1),
            "a verification email was sent recently; look for it");

    EmailController(EmailVerification verification, PasswordReset reset, UnsubscribeTokens unsubscribe,
            PreferencesLookup preferences, AuditLog audit, chatapp.account.Accounts accounts,
            chatapp.core.RateLimitStore buckets, java.time.Clock clock) {
        this.accounts = accounts;
        this.verification = verification;
        this.reset = reset;
        this.unsubscribe = unsubscribe;
        this.preferences = preferences;
        this.audit = audit;
        this.limiter = new RateLimiter(buckets, clock);
    }

    /** 204: the address of the link's account is verified. 400 naming {@code token}: unknown, used or expired. */
    @PostMapping("/api/v1/auth/verify-email")
    @ApiResponse(responseCode = "204", description = "the address is verified")
    @Refusals({ErrorCode.VALIDATION_FAILED, ErrorCode.RATE_LIMITED})
    ResponseEntity<Void> verify(@RequestBody TokenRequest body, HttpServletRequest request, Who who) {
        limiter.take(request.getRemoteAddr(), confirmsPerIp);
        String userId = verification.verify(body == null ? null : body.token());
        audit.record(who, AuditAction.EMAIL_VERIFIED, userId, Map.of());
        return ResponseEntity.noContent().build();
    }

    /**
     * Whether the caller's address is verified, and whether this server sends email at all (the
     * web client's "verify your email" banner).
     */
    @GetMapping("/api/v1/users/me/email-verification")
    @SecurityRequirement(name = "bearer")
    @ApiResponse(responseCode = "200", description = "emailVerified and emailOn")
    Map<String, Boolean> verificationState(@AuthenticationPrincipal String userId) {
        return Map.of("emailVerified", verification.verified(userId), "emailOn", verification.on());
    }

    /**
     * 202: a new verification link is on its way (none if the address is verified already); 429
     * when asked too often; 409 {@code conflict} when the server sends no email.
     */
    @PostMapping("/api/v1/users/me/verification-email")
    @SecurityRequirement(name = "bearer")
    @ApiResponse(responseCode = "202", description = "a verification email is on its way, unless the address is verified")
    @Refusals({ErrorCode.RATE_LIMITED, ErrorCode.CONFLICT})
    ResponseEntity<Map<String, Object>> resend(@AuthenticationPrincipal String userId) {
        if (!verification.on()) {
            throw new ChatAppException(ErrorCode.CONFLICT, "this server sends no email (it has no SMTP settings)");
        }
        boolean verified = verification.verified(userId);
        if (!verified) {
            limiter.take(userId, verificationEmails);
            verification.send(accounts.get(userId));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("emailVerified", verified));
    }

    /**
     * 202 with the same body whether or not the address has an account (and after the same work);
     * 429 after 3 requests for one address per hour or 20 from one client IP per 10 minutes.
     */
    @PostMapping("/api/v1/auth/password-reset")
    @ApiResponse(responseCode = "202", description = "if an account has this address, a link is on its way")
    @Refusals({ErrorCode.VALIDATION_FAILED, ErrorCode.RATE_LIMITED})
    ResponseEntity<Map<String, String>> requestReset(@RequestBody ResetRequest body, HttpServletRequest request,
            Who who) {
        String email = body == null ? null : body.email();
        limiter.take(request.getRemoteAddr(), resetsPerIp);
        String normalised = Emails.normalise(email);
        if (normalised != null && !normalised.isBlank()) {
            limiter.take(normalised, resetsPerAddress);
        }
        reset.request(email);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(RESET_REQUESTED);
    }

    /**
     * 204: the new password is set and every session of the account has ended (sockets included);
     * 400 naming {@code token} (unknown, used, expired) or {@code password} (the sign-up rules).
     */
    @PostMapping("/api/v1/auth/password-reset/confirm")
    @ApiResponse(responseCode = "204", description = "the password is set; every session of the account has ended")
    @Refusals({ErrorCode.VALIDATION_FAILED, ErrorCode.RATE_LIMITED})
    ResponseEntity<Void> confirmReset(@RequestBody ConfirmRequest body, HttpServletRequest request, Who who) {
        limiter.take(request.getRemoteAddr(), confirmsPerIp);
        if (body == null) {
            throw ChatAppException.invalid("token", "is required");
        }
        User user = reset.confirm(body.token(), body.newPassword());
        audit.record(who, AuditAction.PASSWORD_RESET, user.userId(), Map.of());
        return ResponseEntity.noContent().build();
    }

    /**
     * RFC 8058 one-click unsubscribe: turns the token's user's unread-message emails off, no login.
     * 200 whatever the body (mail providers post {@code List-Unsubscribe=One-Click}); 400 for a
     * token that is not ours.
     */
    @PostMapping("/api/v1/unsubscribe")
    @ApiResponse(responseCode = "200", description = "unread-message emails are off")
    @Refusals(ErrorCode.VALIDATION_FAILED)
    Map<String, String> unsubscribe(@RequestParam(name = "token") String token) {
        String userId = unsubscribe.userOf(token)
                .orElseThrow(() -> ChatAppException.invalid("token", "is not a valid unsubscribe link"));
        preferences.emailOff(userId);
        return Map.of("email", "off", "detail", "you will get no more unread-message emails from ChatApp; you can "
                + "turn them on again in the app's settings");
    }

    /** The unsubscribe page's policy: nothing but a form posting to this origin. */
    static final String UNSUBSCRIBE_PAGE_POLICY = "default-src 'none'; form-action 'self'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    /**
     * The footer link of an email opened in a browser: a page with one button that posts to the
     * same address. A GET changes nothing (link scanners and previews follow links, RFC 8058 §3).
     */
    @GetMapping(path = "/api/v1/unsubscribe", produces = MediaType.TEXT_HTML_VALUE)
    @ApiResponse(responseCode = "200", description = "a page with a button that unsubscribes")
    ResponseEntity<String> unsubscribePage(@RequestParam(name = "token", required = false) String token) {
        String safe = token == null ? "" : token.replaceAll("[^A-Za-z0-9_.-]", "");
        // A page that runs nothing, loads nothing and may post only back to us; never framed.
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Security-Policy", UNSUBSCRIBE_PAGE_POLICY)
                .body("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head>"
                        + "<body><form method=\"post\" action=\"/api/v1/unsubscribe?token=" + safe + "\">"
                        + "<p>Stop unread-message emails from ChatApp?</p><button type=\"submit\">Unsubscribe</button>"
                        + "</form></body></html>");
    }

    record TokenRequest(@Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1,
            description = "the token of the emailed link") String token) {
    }

    record ResetRequest(@Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 254) String email) {
    }

    record ConfirmRequest(@Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1) String token,
            @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 12, maxLength = 128,
                    description = "the sign-up password rules") String newPassword) {
    }
}
