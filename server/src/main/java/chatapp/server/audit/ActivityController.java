package chatapp.server.audit;

import chatapp.audit.AuditEntry;
import chatapp.audit.AuditLog;
import chatapp.chat.ChatService;
import chatapp.core.ErrorCode;
import chatapp.core.Page;
import chatapp.server.http.Refusals;
import com.fasterxml.jackson.annotation.JsonFormat;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the audit log shows a user (docs/api.md, "Activity"): their account's security activity
 * and, in a conversation of theirs, which of the two participants opened it when. Translates
 * HTTP only; the entries and their pages come from {@link AuditLog}.
 */
@RestController
@SecurityRequirement(name = "bearer")
class ActivityController {

    private final AuditLog audit;
    private final ChatService chat;

    ActivityController(AuditLog audit, ChatService chat) {
        this.audit = audit;
        this.chat = chat;
    }

    @Operation(summary = "The caller's sign-ins (failed ones too), sign-outs, ended sessions and password changes, newest first",
            responses = @ApiResponse(responseCode = "200", description = "a page of activity"))
    @GetMapping("/api/v1/users/me/activity")
    ActivityPage<AccountActivity> accountActivity(@AuthenticationPrincipal String userId,
            @Parameter(description = "page size, 50 when absent",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "50"))
            @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        Page<AuditEntry> page = audit.accountActivity(userId, limit, cursor);
        return new ActivityPage<>(page.items().stream().map(AccountActivity::of).toList(), page.nextCursor());
    }

    @Operation(summary = "Which of the two participants requested, answered, opened or read the conversation when, newest first",
            responses = @ApiResponse(responseCode = "200",
                    description = "a page of activity; may hold fewer than limit items while nextCursor is set"))
    @Refusals(ErrorCode.NOT_FOUND)
    @GetMapping("/api/v1/conversations/{conversationId}/activity")
    ActivityPage<ConversationActivity> conversationActivity(@AuthenticationPrincipal String userId,
            @PathVariable String conversationId,
            @Parameter(description = "page size, 50 when absent",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "50"))
            @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        // 404 unless a participant; the peer's entries only while accepted (consent)
        Set<String> visible = chat.activityVisibleTo(userId, conversationId);
        Page<AuditEntry> page = audit.conversationActivity(conversationId, visible, limit, cursor);
        return new ActivityPage<>(page.items().stream().map(ConversationActivity::of).toList(), page.nextCursor());
    }

    /** A page of activity; {@code nextCursor} is null on the last page. */
    record ActivityPage<T>(@Schema(requiredMode = RequiredMode.REQUIRED) List<T> items,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String nextCursor) {
    }

    /**
     * One entry of the account's activity. {@code sessionId} is the session signed in or ended
     * (or the session of the request); {@code ipAddress} where the request came from;
     * {@code outcome} {@code success} or the error code (a failed sign-in: {@code invalid_credentials}).
     */
    record AccountActivity(
            @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSX", timezone = "UTC")
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", format = "date-time") Instant at,
            @Schema(requiredMode = RequiredMode.REQUIRED) String action,
            @Schema(requiredMode = RequiredMode.REQUIRED) String outcome,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String sessionId,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String ipAddress,
            @Schema(requiredMode = RequiredMode.REQUIRED) Map<String, String> detail) {
        static AccountActivity of(AuditEntry e) {
            String session = e.action() == chatapp.audit.AuditAction.SESSION_ENDED
                    || e.action() == chatapp.audit.AuditAction.SIGN_OUT ? e.target() : e.session();
            return new AccountActivity(e.at(), e.action().name(), e.outcome(), session, e.address(), e.detail());
        }
    }

    /** One opening of a conversation: who ({@code userId}, one of the two participants), what and when. */
    record ConversationActivity(
            @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSX", timezone = "UTC")
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "string", format = "date-time") Instant at,
            @Schema(requiredMode = RequiredMode.REQUIRED) String userId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String action) {
        static ConversationActivity of(AuditEntry e) {
            return new ConversationActivity(e.at(), e.actor(), e.action().name());
        }
    }

}
