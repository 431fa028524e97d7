package chatapp.server.media;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import chatapp.server.http.Refusals;
import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.media.Media;
import chatapp.media.MediaService;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /api/v1/media} and {@code GET /api/v1/media/{mediaId}} (API.md). Uploads stream
 * into {@link MediaService}, which decides the type from the bytes: the declared
 * {@code Content-Type} and file name are never trusted.
 */
@RestController
@RequestMapping("/api/v1/media")
@SecurityRequirement(name = "bearer")
class MediaController {

    private final MediaService media;
    private final AuditLog audit;

    MediaController(MediaService media, AuditLog audit) {
        this.media = media;
        this.audit = audit;
    }

    /**
     * Multipart upload, field {@code file}. The container has spooled the part to disk under
     * the data directory, refusing it past the largest limit while reading (413); the
     * format's own limit is checked as the part is read here.
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ApiResponse(responseCode = "201", description = "the stored upload", headers = @Header(name = "Location",
            description = "/api/v1/media/{mediaId}", required = true, schema = @Schema(type = "string")))
    @Refusals({ErrorCode.TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA, ErrorCode.RATE_LIMITED})
    ResponseEntity<MediaView> uploadForm(@AuthenticationPrincipal String userId,
            @RequestPart(name = "file", required = false) MultipartFile file) throws IOException {
        // 429 over the account's upload limits (MediaService); the part's size is known here
        if (file == null) {
            throw ChatAppException.invalid("file", "is required: send the photo or video as the multipart field 'file'");
        }
        try (InputStream in = file.getInputStream()) {
            return created(media.upload(userId, file.getSize(), in));
        }
    }

    /** Raw upload: the body is the file, whatever {@code Content-Type} says. */
    @PostMapping
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "the photo or video itself "
            + "(JPEG, PNG, GIF, WebP, MP4, MOV, WebM); its type is decided by its bytes",
            content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "201", description = "the stored upload", headers = @Header(name = "Location",
            description = "/api/v1/media/{mediaId}", required = true, schema = @Schema(type = "string")))
    @Refusals({ErrorCode.TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA, ErrorCode.RATE_LIMITED})
    ResponseEntity<MediaView> uploadRaw(@AuthenticationPrincipal String userId, HttpServletRequest request)
            throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > media.limits().largest()) {
            // refused before a byte of the body is read
            throw new ChatAppException(ErrorCode.TOO_LARGE, "uploads may be at most "
                    + (media.limits().largest() >> 20) + " MiB");
        }
        // 429 before a byte is read if the declared length is over what the account has left today
        return created(media.upload(userId, declared, request.getInputStream()));
    }

    /** The audit entry's detail of a view: the variant, and whose upload it is (docs/audit.md: "who saw family X's photos"). */
    private Map<String, String> seen(String mediaId, MediaService.Variant v) {
        Map<String, String> detail = new java.util.TreeMap<>(
                Map.of("variant", v.name().toLowerCase(java.util.Locale.ROOT), "signedLink", "false"));
        media.ownerOf(mediaId).ifPresent(owner -> detail.put("owner", owner));
        return detail;
    }

    private static ResponseEntity<MediaView> created(Media m) {
        return ResponseEntity.created(URI.create("/api/v1/media/" + m.mediaId())).body(MediaView.of(m));
    }

    /**
     * 302 to a URL that works for a few minutes without other credentials, for the uploader and
     * the users a message with it was sent to; 404 for anyone else.
     */
    @GetMapping("/{mediaId}")
    @ApiResponse(responseCode = "302", description = "to a link that works for a few minutes", headers = @Header(
            name = "Location", required = true, schema = @Schema(type = "string")))
    @Refusals(ErrorCode.NOT_FOUND)
    ResponseEntity<Void> link(@AuthenticationPrincipal String userId, @PathVariable String mediaId,
            @Parameter(schema = @Schema(allowableValues = {"original", "thumbnail"}, defaultValue = "original"))
            @RequestParam(required = false) String variant, Who who) {
        // Absent means the original; present but empty ("variant=") is a mistake, not a default.
        MediaService.Variant v = switch (variant == null ? "original" : variant) {
            case "original" -> MediaService.Variant.ORIGINAL;
            case "thumbnail" -> MediaService.Variant.THUMBNAIL;
            default -> throw ChatAppException.invalid("variant", "must be original or thumbnail");
        };
        URI link = audit.around(who, AuditAction.MEDIA_VIEWED, mediaId, seen(mediaId, v),
                () -> media.link(userId, mediaId, v));
        return ResponseEntity.status(302)
                .location(link)
                .cacheControl(CacheControl.noStore())
                .build();
    }
}
