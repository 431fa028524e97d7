package chatapp.server.account;

import chatapp.account.Accounts;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Users (API.md, {@code /users}): the caller's own view and other users' public views. */
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    private final Accounts accounts;

    UserController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/me")
    OwnView me(@AuthenticationPrincipal String userId) {
        return OwnView.of(accounts.get(userId));
    }

    /** 200 the public view; 404 {@code not_found}. */
    @GetMapping("/{userId}")
    UserView user(@PathVariable String userId) {
        return UserView.of(accounts.get(userId));
    }
}
