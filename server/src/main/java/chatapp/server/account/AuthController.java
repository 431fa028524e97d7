package chatapp.server.account;

import chatapp.account.Accounts;
import chatapp.account.Registration;
import chatapp.account.SignedIn;
import chatapp.server.AccessTokens;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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

    AuthController(Accounts accounts, AccessTokens tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    /** 201 with the new account and its first token pair; 400 {@code validation_failed}; 409. */
    @PostMapping("/register")
    ResponseEntity<SignedInView> register(@RequestBody RegisterRequest body) {
        SignedIn signedIn = accounts.register(new Registration(body.username(), body.email(), body.password(),
                body.userType(), body.specialization(), body.childrenCount()));
        return ResponseEntity.status(HttpStatus.CREATED).body(view(signedIn));
    }

    /** 200 with a new token pair; 401 {@code invalid_credentials}, the same for every failure. */
    @PostMapping("/login")
    SignedInView login(@RequestBody LoginRequest body) {
        return view(accounts.login(body.email(), body.password()));
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

    /** {@code expiresIn}: seconds until the access token expires. */
    record SignedInView(OwnView user, String accessToken, String refreshToken, long expiresIn) {
    }
}
