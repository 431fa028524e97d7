package chatapp.server.account;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import chatapp.server.http.Refusals;
import chatapp.core.ErrorCode;
import chatapp.account.Accounts;
import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.chat.ChatService;
import chatapp.core.ChatAppException;
import java.util.Set;
import chatapp.account.ProfileChanges;
import chatapp.account.Session;
import chatapp.core.Page;
import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Instant;
import java.util.List;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Users (API.md, {@code /users}): the caller's own view, changes to it, the directory, public views. */
@RestController
@RequestMapping("/api/v1/users")
@SecurityRequirement(name = "bearer")
class UserController {

    private final Accounts accounts;
    private final ChatService chat;
    private final AuditLog audit;
    private final ProfileViews profiles;

    UserController(Accounts accounts, ChatService chat, AuditLog audit, ProfileViews profiles) {
        this.accounts = accounts;
        this.chat = chat;
        this.audit = audit;
        this.profiles = profiles;
    }

    @GetMapping("/me")
    OwnView me(@AuthenticationPrincipal String userId) {
        return OwnView.of(accounts.get(userId), profiles.profiles().of(userId));
    }

    /**
     * 200 the new own view. 400 naming each invalid field (email and userType cannot change; a
     * password needs currentPassword); 409 {@code username_taken}. A password change logs out
     * every other session.
     */
    @PatchMapping("/me")
    @Refusals({ErrorCode.USERNAME_TAKEN, ErrorCode.CONFLICT})
    OwnView update(Authentication authentication, @RequestBody PatchRequest body, Who who) {
        String sessionId = AuthController.sessionId(authentication);
        OwnView updated = OwnView.of(accounts.update(authentication.getName(), sessionId, new ProfileChanges(body.username(),
                body.specialization(), body.childrenCount(), body.password(), body.currentPassword(), body.email(),
                body.userType())), profiles.profiles().of(authentication.getName()));
        if (body.password() != null) { // the change ended every other session (Accounts.update)
            audit.record(who, AuditAction.PASSWORD_CHANGED, who.actor(), Map.of());
            audit.record(who, AuditAction.SESSION_ENDED, "others", Map.of("cause", "password changed"));
        }
        return updated;
    }

    /** The caller's live sessions, oldest first; the one of this request is marked {@code current}. */
    @GetMapping("/me/sessions")
    SessionList sessions(Authentication caller) {
        String current = AuthController.sessionId(caller);
        return new SessionList(accounts.sessions(caller.getName()).stream()
                .map(s -> SessionView.of(s, s.sessionId().equals(current))).toList());
    }

    /**
     * 204; that session of the caller ends (refresh chain, access tokens, tickets, WebSockets),
     * also when it is the caller's own. 404 for a session that is not the caller's or has ended.
     */
    @DeleteMapping("/me/sessions/{sessionId}")
    @ApiResponse(responseCode = "204", description = "the session has ended")
    @Refusals(ErrorCode.NOT_FOUND)
    ResponseEntity<Void> endSession(@AuthenticationPrincipal String userId, @PathVariable String sessionId, Who who) {
        audit.around(who, AuditAction.SESSION_ENDED, sessionId, Map.of(), () -> {
            accounts.endSession(userId, sessionId);
            return null;
        });
        return ResponseEntity.noContent().build();
    }

    /** {@code GET /users/me/sessions}: {@code items}, oldest first. */
    record SessionList(@Schema(requiredMode = RequiredMode.REQUIRED) List<SessionView> items) {
    }

    /** One session as its owner sees it (docs/api.md, "Sessions"); device and ipAddress may be null. */
    record SessionView(@Schema(requiredMode = RequiredMode.REQUIRED) String sessionId, @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String device,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String ipAddress,
            @Schema(requiredMode = RequiredMode.REQUIRED)
            @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSX", timezone = "UTC")
            Instant createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED)
            @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSX", timezone = "UTC")
            Instant lastUsedAt,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean current) {
        static SessionView of(Session s, boolean current) {
            return new SessionView(s.sessionId(), s.device(), s.address(), s.createdAt(), s.lastUsedAt(), current);
        }
    }

    /**
     * The directory: a page of public views of {@code type}, by username; {@code q} is a prefix
     * of username or specialization. 403 for one's own type; 400 {@code bad_cursor}. Users the
     * caller blocked or was blocked by are left out (docs/security.md, "Consent"), so a page may
     * hold fewer than {@code limit} items while {@code nextCursor} is set.
     */
    @GetMapping
    @Refusals({ErrorCode.BAD_CURSOR, ErrorCode.FORBIDDEN})
    UserPage directory(@AuthenticationPrincipal String userId,
            @Parameter(required = true, schema = @Schema(allowableValues = {"parent", "therapist"}))
            @RequestParam(required = false) String type,
            @Parameter(schema = @Schema(maxLength = 64)) @RequestParam(required = false) String q,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "50"))
            @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        Page<chatapp.account.User> page = accounts.directory(userId, type, q, limit, cursor);
        Set<String> blocked = chat.blocked(userId);
        return new UserPage(profiles.views(page.items().stream().filter(u -> !blocked.contains(u.userId())).toList()),
                page.nextCursor());
    }

    /** A page of the directory; {@code nextCursor} is null on the last page. */
    record UserPage(@Schema(requiredMode = RequiredMode.REQUIRED) List<UserView> items, @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String nextCursor) {
    }

    /**
     * 200 the public view; 404 {@code not_found}, also for a parent asking for another parent and
     * between users of a blocked conversation (the same answer as for an unknown id).
     */
    @GetMapping("/{userId}")
    @Refusals(ErrorCode.NOT_FOUND)
    UserView user(@AuthenticationPrincipal String callerId, @PathVariable String userId) {
        if (chat.blockedBetween(callerId, userId)) {
            throw ChatAppException.notFound("no such user");
        }
        return profiles.view(accounts.profile(callerId, userId));
    }

    /** Only the fields to change; email and userType cannot change (400 naming them). */
    record PatchRequest(@Schema(pattern = "^[A-Za-z0-9._-]{3,32}$") String username,
            @Schema(maxLength = 64, description = "therapists only") String specialization,
            @Schema(minimum = "0", maximum = "20", description = "parents only") Integer childrenCount,
            @Schema(minLength = 12, maxLength = 128, pattern = AuthController.PASSWORD,
                    description = "a new password; needs currentPassword (400 when it is wrong)") String password,
            @Schema(description = "the current password, for a new password") String currentPassword,
            @Schema(hidden = true) String email, @Schema(hidden = true) String userType) {
    }
}
