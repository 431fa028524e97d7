package chatapp.server.chat;

import chatapp.chat.MessageSearch;
import chatapp.chat.SearchHit;
import chatapp.chat.SearchQuery;
import chatapp.core.ErrorCode;
import chatapp.server.chat.ChatJson.MessageJson;
import chatapp.server.chat.ChatJson.PageJson;
import chatapp.server.http.Refusals;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Search over HTTP (docs/api.md, "Search"): across the caller's conversations and within one.
 * Translates only: the rules are in {@link MessageSearch} and {@link SearchQuery}.
 */
@RestController
@SecurityRequirement(name = "bearer")
class SearchController {

    private final MessageSearch search;

    SearchController(MessageSearch search) {
        this.search = search;
    }

    /** Matches in every conversation of the caller, newest first. */
    @GetMapping("/api/v1/search")
    @Refusals({ErrorCode.VALIDATION_FAILED, ErrorCode.BAD_CURSOR, ErrorCode.RATE_LIMITED})
    PageJson<HitJson> across(@AuthenticationPrincipal String userId,
            @Parameter(required = true, description = QUERY, schema = @Schema(minLength = 1, maxLength = SearchQuery.MAX_LENGTH))
            @RequestParam(required = false) String q,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "50")) @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page of this search") @RequestParam(required = false) String cursor) {
        return PageJson.of(search.search(userId, null, q, limit, cursor), HitJson::of);
    }

    /** Matches in one conversation of the caller, newest first. */
    @GetMapping("/api/v1/conversations/{conversationId}/search")
    @Refusals({ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND, ErrorCode.BAD_CURSOR, ErrorCode.RATE_LIMITED})
    PageJson<HitJson> within(@AuthenticationPrincipal String userId, @PathVariable String conversationId,
            @Parameter(required = true, description = QUERY, schema = @Schema(minLength = 1, maxLength = SearchQuery.MAX_LENGTH))
            @RequestParam(required = false) String q,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "50")) @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page of this search") @RequestParam(required = false) String cursor) {
        return PageJson.of(search.search(userId, conversationId, q, limit, cursor), HitJson::of);
    }

    private static final String QUERY = "words to find (letters and digits; everything else only separates words): "
            + "every word must occur, the last one as the start of a word; case and diacritics are ignored";

    /** One found message and where its words occur. */
    record HitJson(@Schema(requiredMode = RequiredMode.REQUIRED) MessageJson message,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the other participant of the conversation")
            String peerId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the matching words of the message's text, "
                    + "in text order, as UTF-16 code unit offsets (JavaScript string indices)")
            List<MatchJson> matches) {
        static HitJson of(SearchHit hit) {
            return new HitJson(MessageJson.of(hit.message()), hit.peerId(),
                    hit.matches().stream().map(m -> new MatchJson(m.start(), m.end())).toList());
        }
    }

    /** A matching word: {@code text.substring(start, end)}. */
    record MatchJson(@Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", description = "inclusive") int start,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1", description = "exclusive") int end) {
    }
}
