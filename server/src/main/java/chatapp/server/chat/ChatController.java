package chatapp.server.chat;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import chatapp.server.http.Refusals;
import chatapp.core.ErrorCode;
import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.chat.ChatService;
import chatapp.chat.Message;
import chatapp.chat.Opened;
import chatapp.chat.Sent;
import chatapp.chat.ConversationView;
import chatapp.core.Page;
import chatapp.server.account.ProfileViews;
import chatapp.server.account.UserView;
import chatapp.server.chat.ChatJson.ConversationJson;
import chatapp.server.chat.ChatJson.DeliveredJson;
import chatapp.server.chat.ChatJson.DeliveredRequest;
import chatapp.server.chat.ChatJson.EditRequest;
import chatapp.server.chat.ChatJson.MessageJson;
import chatapp.server.chat.ChatJson.OpenRequest;
import chatapp.server.chat.ChatJson.PageJson;
import chatapp.server.chat.ChatJson.ReadJson;
import chatapp.server.chat.ChatJson.ReadRequest;
import chatapp.server.chat.ChatJson.SendRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Function;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Conversations and messages over HTTP (API.md "Endpoints"). Translates only: the rules, including
 * who may see what, are in {@link ChatService}; the caller is the token's subject.
 */
@RestController
@RequestMapping("/api/v1/conversations")
@SecurityRequirement(name = "bearer")
class ChatController {

    private final ChatService chat;
    private final AuditLog audit;
    private final ProfileViews profiles;

    ChatController(ChatService chat, AuditLog audit, ProfileViews profiles) {
        this.chat = chat;
        this.audit = audit;
        this.profiles = profiles;
    }

    /** The conversation with its peer's profile where the caller may see it (issue 21, {@link ProfileViews}). */
    private ConversationJson json(ConversationView v) {
        return ConversationJson.of(v, profiles.peer(v));
    }

    /** A page of conversations, the peers' profiles read in one batch. */
    private PageJson<ConversationJson> page(Page<ConversationView> p) {
        Function<ConversationView, UserView> peers = profiles.peers(p.items());
        return PageJson.of(p, v -> ConversationJson.of(v, peers.apply(v)));
    }

    /**
     * 201 with the new conversation (a request), or 200 with the existing one (a request from the
     * peer is accepted); 429 {@code rate_limited} past the daily request limit.
     */
    @PostMapping
    @ApiResponse(responseCode = "201", description = "a new conversation (a request to the peer)")
    @ApiResponse(responseCode = "200", description = "the existing conversation")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED})
    ResponseEntity<ConversationJson> open(@AuthenticationPrincipal String userId, @RequestBody OpenRequest body,
            Who who) {
        Opened opened = chat.open(userId, body.peerId());
        audit.record(who, opened.created() ? AuditAction.CONVERSATION_REQUESTED : AuditAction.CONVERSATION_OPENED,
                opened.conversation().conversationId(), Map.of("peer", body.peerId()));
        return ResponseEntity.status(opened.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(json(opened.conversation()));
    }

    @GetMapping
    @Refusals(ErrorCode.BAD_CURSOR)
    PageJson<ConversationJson> inbox(@AuthenticationPrincipal String userId,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "50")) @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        return page(chat.inbox(userId, limit, cursor));
    }

    /** Requests to the caller (pending or declined), apart from the inbox (docs/security.md, "Consent"). */
    @GetMapping("/requests")
    @Refusals(ErrorCode.BAD_CURSOR)
    PageJson<ConversationJson> requests(@AuthenticationPrincipal String userId,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "50")) @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        return page(chat.requests(userId, limit, cursor));
    }

    /** 200 accepted; 403 for the requester; 409 if blocked. */
    @PostMapping("/{conversationId}/accept")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT})
    ConversationJson accept(@AuthenticationPrincipal String userId, @PathVariable String conversationId, Who who) {
        return json(audit.around(who, AuditAction.CONVERSATION_ACCEPTED, conversationId, Map.of(),
                () -> chat.accept(userId, conversationId)));
    }

    /** 200 declined; 403 for the requester; 409 if accepted or blocked. */
    @PostMapping("/{conversationId}/decline")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT})
    ConversationJson decline(@AuthenticationPrincipal String userId, @PathVariable String conversationId, Who who) {
        return json(audit.around(who, AuditAction.CONVERSATION_DECLINED, conversationId, Map.of(),
                () -> chat.decline(userId, conversationId)));
    }

    /** 200 blocked by the caller; 409 if the peer blocked it. */
    @PostMapping("/{conversationId}/block")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT})
    ConversationJson block(@AuthenticationPrincipal String userId, @PathVariable String conversationId, Who who) {
        return json(audit.around(who, AuditAction.CONVERSATION_BLOCKED, conversationId, Map.of(),
                () -> chat.block(userId, conversationId)));
    }

    /** 200 with the state it returns to; 403 if the peer blocked it. */
    @DeleteMapping("/{conversationId}/block")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT})
    ConversationJson unblock(@AuthenticationPrincipal String userId, @PathVariable String conversationId, Who who) {
        return json(audit.around(who, AuditAction.CONVERSATION_UNBLOCKED, conversationId, Map.of(),
                () -> chat.unblock(userId, conversationId)));
    }

    @GetMapping("/{conversationId}")
    @Refusals(ErrorCode.NOT_FOUND)
    ConversationJson conversation(@AuthenticationPrincipal String userId, @PathVariable String conversationId, Who who) {
        return json(audit.around(who, AuditAction.CONVERSATION_OPENED, conversationId, Map.of(),
                () -> chat.conversation(userId, conversationId)));
    }

    @GetMapping("/{conversationId}/messages")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.BAD_CURSOR})
    PageJson<MessageJson> history(@AuthenticationPrincipal String userId, @PathVariable String conversationId,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "50")) @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor,
            @Parameter(description = "a messageId of this conversation: every newer message, oldest first "
                    + "(404 if it names none); not with cursor on the first page",
                    schema = @Schema(pattern = "^[0-9]{12}-[A-Za-z0-9_-]{8}$"))
            @RequestParam(required = false) String after, Who who) {
        return PageJson.of(audit.around(who, AuditAction.HISTORY_READ, conversationId, page(limit, cursor, after),
                () -> chat.history(userId, conversationId, limit, cursor, after)), MessageJson::of);
    }

    /** Which page of the history was asked for (the audit entry's detail): only the parameters given. */
    private static Map<String, String> page(Integer limit, String cursor, String after) {
        Map<String, String> page = new TreeMap<>();
        if (limit != null) {
            page.put("limit", limit.toString());
        }
        if (cursor != null) {
            page.put("cursor", cursor);
        }
        if (after != null) {
            page.put("after", after);
        }
        return page;
    }

    /**
     * 201 with the stored message, or 200 with the original for a repeated clientMessageId; with
     * {@code replyTo}, a reply carrying its quote.
     */
    @PostMapping("/{conversationId}/messages")
    @ApiResponse(responseCode = "201", description = "the stored message")
    @ApiResponse(responseCode = "200", description = "the message stored before with this clientMessageId")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED})
    ResponseEntity<MessageJson> send(@AuthenticationPrincipal String userId, @PathVariable String conversationId,
            @RequestBody SendRequest body, HttpServletRequest request) {
        if (request.getAttribute(SendRoute.REFUSED) instanceof RuntimeException refused) {
            throw refused; // core refused this very send in SendRoute: answered here, as if it had refused here
        }
        Sent sent = chat.send(userId, conversationId, body.clientMessageId(), body.content(), body.replyTo(), null);
        return ResponseEntity.status(sent.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(MessageJson.of(sent.message()));
    }

    @PostMapping("/{conversationId}/read")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT})
    ReadJson read(@AuthenticationPrincipal String userId, @PathVariable String conversationId, @RequestBody ReadRequest body) {
        return ReadJson.of(chat.markRead(userId, conversationId, body.upToMessageId()));
    }

    /** 200 with the delivery receipt; 409 unless the conversation is accepted (as for read receipts). */
    @PostMapping("/{conversationId}/delivered")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT})
    DeliveredJson delivered(@AuthenticationPrincipal String userId, @PathVariable String conversationId,
            @RequestBody DeliveredRequest body) {
        return DeliveredJson.of(chat.markDelivered(userId, conversationId, body.upToMessageId(), null));
    }

    /**
     * 200 with the edited message (the sender's text message, within 15 minutes of sending); 403
     * for the peer's message; 409 past the window, for a photo, video or deleted message, or while
     * blocked. Audited (docs/audit.md): which message, never its text.
     */
    @PatchMapping("/{conversationId}/messages/{messageId}")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED})
    MessageJson edit(@AuthenticationPrincipal String userId, @PathVariable String conversationId,
            @Parameter(description = "a messageId of this conversation (404 if it names none)") @PathVariable String messageId,
            @RequestBody EditRequest body, Who who) {
        Message edited = chat.edit(userId, conversationId, messageId, body.content());
        audit.messageEdited(who, conversationId, messageId);
        return MessageJson.of(edited);
    }

    /**
     * 200 with the tombstone: the sender's message deleted for everyone (its photo or video erased);
     * a repeat answers the same; 403 for the peer's message. Audited (docs/audit.md): which message.
     */
    @DeleteMapping("/{conversationId}/messages/{messageId}")
    @Refusals({ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN})
    MessageJson delete(@AuthenticationPrincipal String userId, @PathVariable String conversationId,
            @Parameter(description = "a messageId of this conversation (404 if it names none)") @PathVariable String messageId,
            Who who) {
        Message tombstone = chat.delete(userId, conversationId, messageId);
        audit.messageDeleted(who, conversationId, messageId);
        return MessageJson.of(tombstone);
    }
}
