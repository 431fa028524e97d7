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

    AuthController(Accounts accounts, AccessTokens tokens, AuthLimits limits, AuditLog audit) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.limits = limits;
        this.audit = audit;
    }

    /** 201 with the new account and its first token pair; 400 {@code validation_failed}; 409. */
    @PostMapping("/register")
    ResponseEntity<SignedInView> register(@RequestBody RegisterRequest body, HttpServletRequest request) {
        limits.beforeRegistration(request.getRemoteAddr());
        SignedIn signedIn = accounts.register(new Registration(body.username(), body.email(), body.password(),
                body.userType(), body.specialization(), body.childrenCount()), client(request));
        return ResponseEntity.status(HttpStatus.CREATED).body(view(signedIn));
    }

    /**
     * 200 with a new token pair; 401 {@code invalid_credentials}, the same for every failure;
     * 429 {@code rate_limited} after 5 failures for the account from this address in 15 minutes,
     * 100 from all addresses (coming back steadily), or too many logins from the address.
     */
    @PostMapping("/login")
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
    SignedInView refresh(@RequestBody RefreshRequest body) {
        return view(accounts.refresh(body.refreshToken()));
    }

    /**
     * 204; the caller's session ends (its refresh chain, access tokens, tickets and WebSockets),
     * and the chain of that refresh token if it is the caller's. Needs the access token (API.md);
     * a refresh token that is unknown or not the caller's gets the same answer.
     */
    @PostMapping("/logout")
    ResponseEntity<Void> logout(Authentication caller, @RequestBody RefreshRequest body, Who who) {
        accounts.logout(caller.getName(), sessionId(caller), body.refreshToken());
        audit.record(who, AuditAction.SIGN_OUT, who.session(), Map.of());
        return ResponseEntity.noContent().build();
    }

    /** 204; every session of the caller ends, this one included (docs/api.md, "Sessions"). */
    @PostMapping("/logout-all")
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

    record RegisterRequest(String username, String email, String password, String userType, String specialization,
            Integer childrenCount) {
    }

    record LoginRequest(String email, String password) {
    }

    record RefreshRequest(String refreshToken) {
    }

    /** {@code expiresIn}: seconds until the access token expires. */
    record SignedInView(OwnView user, String accessToken, String refreshToken, long expiresIn) {
    }
}
