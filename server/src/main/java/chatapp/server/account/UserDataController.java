package chatapp.server.account;

import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.userdata.AccountDeletion;
import chatapp.userdata.DataExport;
import chatapp.userdata.ExportJob;
import com.fasterxml.jackson.annotation.JsonInclude;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.server.http.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The user's own data (docs/api.md, "Your data"; docs/audit.md): deleting the account and
 * downloading everything. Translates HTTP only; the rules are in core's {@code chatapp.userdata}.
 */
@RestController
@RequestMapping("/api/v1/users/me")
@SecurityRequirement(name = "bearer")
class UserDataController {

    private final AccountDeletion deletion;
    private final DataExport exports;
    private final AuditLog audit;

    UserDataController(AccountDeletion deletion, DataExport exports, AuditLog audit) {
        this.deletion = deletion;
        this.exports = exports;
        this.audit = audit;
    }

    /** {@code DELETE /users/me}: the password, re-entered. */
    record DeleteRequest(@Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 1024,
            description = "the account's password, re-entered") String password) {
    }

    @Operation(summary = "Delete the caller's account (password re-entered)",
            description = "Every session ends at once (tokens, tickets, WebSockets); the profile leaves the directory;"
                    + " the caller's messages become tombstones and their media are deleted; the peer keeps the"
                    + " conversation, marked peerDeleted. Wrong passwords count like failed logins: 5 per 15 minutes.")
    @ApiResponse(responseCode = "204", description = "deleted")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMITED})
    // JSON only, as every endpoint with a body: Spring reads a DELETE's body only when its type has a
    // converter and otherwise passes null, so another type (text/plain, a form) would get "password is
    // required" instead of the 415 a POST gets. Declared here, it is refused before the body is read.
    @DeleteMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> delete(@AuthenticationPrincipal String userId, @RequestBody DeleteRequest body,
            Who who) {
        audit.around(who, AuditAction.ACCOUNT_DELETED, userId, Map.of(),
                () -> deletion.delete(userId, body == null ? null : body.password()));
        return ResponseEntity.noContent().build();
    }

    /** An export as its owner sees it (docs/api.md, "Export"); {@code url} only while ready. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExportView(String exportId, String state, String createdAt, String expiresAt, Long size, String url,
            String urlExpiresAt) {
        static ExportView of(ExportJob j, URI url, java.time.Instant urlExpiresAt) {
            boolean ready = j.state() == ExportJob.State.READY;
            return new ExportView(j.exportId(), j.state().wire(), UserView.time(j.createdAt()),
                    UserView.time(j.expiresAt()), ready ? j.size() : null, url == null ? null : url.toString(),
                    urlExpiresAt == null ? null : UserView.time(urlExpiresAt));
        }
    }

    @Operation(summary = "Start an export of everything the caller can see",
            description = "Made in the background; poll GET /users/me/export/{exportId}. 3 per account per day."
                    + " Takes no body: any body other than {} is 400.")
    @ApiResponse(responseCode = "202", description = "accepted: the export, state pending; Location names it")
    @Refusals({ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE})
    @PostMapping("/export")
    ResponseEntity<ExportView> export(@AuthenticationPrincipal String userId, HttpServletRequest request, Who who)
            throws IOException {
        if (!emptyOrEmptyObject(request.getInputStream())) {
            // a body here is a client's mistake (options it believes are honoured): refused before the
            // export is counted against the day's three
            throw new ChatAppException(ErrorCode.BAD_REQUEST,
                    "POST /users/me/export takes no body: leave it out (or send {})");
        }
        ExportJob job = audit.around(who, AuditAction.DATA_EXPORTED, userId, Map.of(), () -> exports.request(userId));
        return ResponseEntity.accepted().location(URI.create("/api/v1/users/me/export/" + job.exportId()))
                .body(ExportView.of(job, null, null));
    }

    /**
     * Whether {@code body} is empty, white space, or the JSON object {@code {}} (white space
     * around and inside allowed). Reads at most {@value #NO_BODY_READ} bytes: a longer body is
     * not one of these.
     */
    static boolean emptyOrEmptyObject(InputStream body) throws IOException {
        int state = 0; // 0: before '{', 1: after '{', 2: after '}'
        int read = 0;
        for (int b; (b = body.read()) != -1; ) {
            if (++read > NO_BODY_READ) {
                return false;
            }
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') { // JSON's white space (RFC 8259)
                continue;
            }
            if (state == 0 && b == '{') {
                state = 1;
            } else if (state == 1 && b == '}') {
                state = 2;
            } else {
                return false;
            }
        }
        return state != 1;
    }

    private static final int NO_BODY_READ = 1024;

    @Operation(summary = "One export of the caller's",
            description = "state pending, running, ready or failed; while ready, url is a signed link to the ZIP that"
                    + " works for 15 minutes (ask again for a fresh one). Archives are deleted 48 hours after they are"
                    + " ready.")
    @ApiResponse(responseCode = "200", description = "the export")
    @Refusals(ErrorCode.NOT_FOUND)
    @GetMapping("/export/{exportId}")
    ExportView export(@AuthenticationPrincipal String userId, @PathVariable String exportId) {
        DataExport.Status s = exports.status(userId, exportId);
        return ExportView.of(s.job(), s.url(), s.urlExpiresAt());
    }
}
