package chatapp.server.account;

import chatapp.account.Accounts;
import chatapp.account.Client;
import chatapp.account.Registration;
import chatapp.account.SignedIn;
import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.server.security.AccessTokens;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import chatapp.server.http.Refusals;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sign-up and sign-in (API.md, {@code /auth}). Translates HTTP only; the rules are in core. */
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private final Accounts accounts;
    private final AccessTokens tokens;
    private final AuthLimits limits;
    private final AuditLog audit;
    private final chatapp.notification.EmailVerification verification;

    AuthController(Accounts accounts, AccessTokens tokens, AuthLimits limits, AuditLog audit,
            chatapp.notification.EmailVerification verification) {
        this.verification = verification;
        this.accounts = accounts;
        this.tokens = tokens;
        this.limits = limits;
        this.audit = audit;
    }

    /**
     * 201 with the new account and its first token pair; 400 {@code validation_failed}; 409. With
     * email on (docs/api.md, "Email"): 202 {@link VerificationRequired}, no tokens, for a new account
     * and, the same, for an address already verified (its owner gets an email instead; the answer
     * must not tell that it is registered); 409 {@code email_taken} stays for an unverified address.
     */
    @PostMapping("/register")
    @ApiResponse(responseCode = "201", description = "the new account, signed in (email off)")
    @ApiResponse(responseCode = "202", description = "email on: check your email, then sign in",
            content = @io.swagger.v3.oas.annotations.media.Content(schema = @Schema(implementation = VerificationRequired.class)))
    @Refusals({ErrorCode.EMAIL_TAKEN, ErrorCode.USERNAME_TAKEN, ErrorCode.RATE_LIMITED})
    ResponseEntity<?> register(@RequestBody RegisterRequest body, HttpServletRequest request) {
        limits.beforeRegistration(request.getRemoteAddr());
        SignedIn signedIn;
        try {
            signedIn = accounts.register(new Registration(body.username(), body.email(), body.password(),
                    body.userType(), body.specialization(), body.childrenCount()), client(request));
        } catch (ChatAppException e) {
            if (e.code() == ErrorCode.EMAIL_TAKEN && verification.hideTakenAddress(body.email())) {
                return verificationRequired(body.email());
            }
            throw e;
        }
        if (verification.on()) {
            // The same answer as for a verified address: no session. The user signs in after the link.
            accounts.logout(signedIn.user().userId(), signedIn.sessionId(), null);
            verification.send(signedIn.user());
            return verificationRequired(body.email());
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(view(signedIn));
    }

    private static ResponseEntity<VerificationRequired> verificationRequired(String email) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new VerificationRequired("verification_required",
                chatapp.account.Emails.normalise(email)));
    }

    /** The answer to a sign-up while email is on (docs/api.md, "Email"). */
    record VerificationRequired(
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = "verification_required") String status,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the address, normalised, the link was sent to")
            String email) {
    }

    /**
     * 200 with a new token pair; 401 {@code invalid_credentials}, the same for every failure;
     * 429 {@code rate_limited} after 5 failures for the account from this address in 15 minutes,
     * 100 from all addresses (coming back steadily), or too many logins from the address.
     */
    @PostMapping("/login")
    @ApiResponse(responseCode = "200", description = "signed in: a new session")
    @Refusals({ErrorCode.INVALID_CREDENTIALS, ErrorCode.RATE_LIMITED})
    SignedInView login(@RequestBody LoginRequest body, HttpServletRequest request, Who who) {
        limits.beforeLogin(request.getRemoteAddr(), body.email());
        boolean wrongPassword = false;
        try {
            SignedIn in = accounts.login(body.email(), body.password(), client(request));
            audit.record(new Who(in.user().userId(), in.sessionId(), who.address()), AuditAction.SIGN_IN,
                    in.user().userId(), Map.of());
            return view(in);
        } catch (ChatAppException e) {
            wrongPassword = e.code() == ErrorCode.INVALID_CREDENTIALS;
            audit.record(who, AuditAction.SIGN_IN, accounts.accountOf(body.email()).orElse(null), Map.of(),
                    e.code().code());
            throw e;
        } finally {
            if (!wrongPassword) {
                limits.notAFailure(request.getRemoteAddr(), body.email());
            }
        }
    }

    /** 200 with a new pair; the presented token is spent. 401 {@code invalid_token}. */
    @PostMapping("/refresh")
    @ApiResponse(responseCode = "200", description = "a new token pair of the same session")
    @Refusals(ErrorCode.INVALID_TOKEN)
    SignedInView refresh(@RequestBody RefreshRequest body) {
        return view(accounts.refresh(body.refreshToken()));
    }

    /**
     * 204; the caller's session ends (its refresh chain, access tokens, tickets and WebSockets),
     * and the chain of that refresh token if it is the caller's. Needs the access token (API.md);
     * a refresh token that is unknown or not the caller's gets the same answer.
     */
    @PostMapping("/logout")
    @SecurityRequirement(name = "bearer")
    @ApiResponse(responseCode = "204", description = "the session has ended")
    ResponseEntity<Void> logout(Authentication caller, @RequestBody(required = false) LogoutRequest body,
            HttpServletRequest request, Who who) {
        if (body == null && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null)) {
            // the JSON literal null: a client bug, not "no body"
            throw new ChatAppException(ErrorCode.BAD_REQUEST, "the request body must be a JSON object, or left out");
        }
        accounts.logout(caller.getName(), sessionId(caller), body == null ? null : body.refreshToken());
        audit.record(who, AuditAction.SIGN_OUT, who.session(), Map.of());
        return ResponseEntity.noContent().build();
    }

    /** 204; every session of the caller ends, this one included (docs/api.md, "Sessions"). */
    @PostMapping("/logout-all")
    @SecurityRequirement(name = "bearer")
    @ApiResponse(responseCode = "204", description = "every session of the caller has ended")
    ResponseEntity<Void> logoutAll(@AuthenticationPrincipal String userId, Who who) {
        audit.record(who, AuditAction.SESSION_ENDED, "all",
                Map.of("sessions", String.join(" ", accounts.logoutEverywhere(userId))));
        return ResponseEntity.noContent().build();
    }

    /** The session the caller's access token names. */
    static String sessionId(Authentication caller) {
        return caller.getDetails() instanceof AccessTokens.Bearer b ? b.sessionId() : null;
    }

    /** What the session list will show of this sign-in: the User-Agent (summarised in core) and the address. */
    private static Client client(HttpServletRequest request) {
        return new Client(request.getHeader(HttpHeaders.USER_AGENT), request.getRemoteAddr());
    }

    private SignedInView view(SignedIn s) {
        return new SignedInView(OwnView.of(s.user()), tokens.issue(s.user().userId(), s.sessionId()),
                s.refreshToken(), AccessTokens.LIFETIME.toSeconds());
    }

    /** API.md, "Sign-up": specialization for therapists (required), childrenCount for parents (0-20). */
    record RegisterRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, pattern = "^[A-Za-z0-9._-]{3,32}$") String username,
            @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 254, pattern = EMAIL,
                    description = "an email address; stored trimmed and lower-cased") String email,
            @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 12, maxLength = 128, pattern = PASSWORD,
                    description = "12-128 characters, no control characters, not a common password, not the "
                            + "username or email") String password,
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"parent", "therapist"}) String userType,
            @Schema(maxLength = 64, description = "required for therapists, refused for parents") String specialization,
            @Schema(minimum = "0", maximum = "20", description = "parents only; 0 when left out") Integer childrenCount) {
    }

    /** The shape of an email address (core's Emails), as an ECMA-262 pattern. */
    static final String EMAIL = "^[^@\\s\\u0000-\\u001f\\u007f]{1,64}@[^@\\s\\u0000-\\u001f\\u007f.]+"
            + "(\\.[^@\\s\\u0000-\\u001f\\u007f.]+)+$";

    /** No control characters (AccountRules), as an ECMA-262 pattern. */
    static final String PASSWORD = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";

    record LoginRequest(@Schema(requiredMode = RequiredMode.REQUIRED) String email,
            @Schema(requiredMode = RequiredMode.REQUIRED) String password) {
    }

    record RefreshRequest(@Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1) String refreshToken) {
    }

    /** The body of a logout: optional; without it the session of the access token ends. */
    record LogoutRequest(@Schema(nullable = true, description = "also ends this refresh token's chain if it is "
            + "the caller's; null or left out: only the session of the access token ends")
            String refreshToken) {
    }

    /** {@code expiresIn}: seconds until the access token expires. */
    record SignedInView(@Schema(requiredMode = RequiredMode.REQUIRED) OwnView user,
            @Schema(requiredMode = RequiredMode.REQUIRED) String accessToken,
            @Schema(requiredMode = RequiredMode.REQUIRED) String refreshToken,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "seconds until the access token expires")
            long expiresIn) {
    }
}
