package chatapp.server.media;

import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.core.ErrorCode;
import chatapp.server.http.Refusals;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import chatapp.embedded.media.DiskMediaFiles;
import chatapp.media.MediaFiles;
import chatapp.server.http.Problems;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Serves the disk adapter's signed URLs ({@link DiskMediaFiles#PATH}{@code <mediaId>/<variant>});
 * the signature is the only credential. An altered or expired link is 403. The answer has the
 * type and name the link fixed, {@code X-Content-Type-Options: nosniff}, a sandboxing CSP, and
 * answers {@code Range} with 206 (Spring MVC's resource regions), so videos seek. A Range that
 * starts at or past the end is 416 with {@code Content-Range: bytes *}{@code /<size>} and a problem
 * document, not the file; a Range that does not parse ({@code bytes=abc}, another unit) is
 * ignored: 200 with the whole file (RFC 9110 §14.2).
 * With {@code chatapp.media=s3} the links are S3's: this route answers 404 as an unknown one and
 * is left out of the OpenAPI document ({@code MediaConfiguration}); a choice made at start, not by
 * a condition, for Spring's AOT processing (docs/decisions/0058-spring-aot.md).
 */
@RestController
class MediaFileController {

    private final DiskMediaFiles files;
    private final AuditLog audit;

    MediaFileController(MediaFiles files, AuditLog audit) {
        this.files = files instanceof DiskMediaFiles disk ? disk : null;
        this.audit = audit;
    }

    @GetMapping(DiskMediaFiles.PATH + "{mediaId}/{variant}")
    @ApiResponse(responseCode = "200", description = "the file, with the type its link names",
            content = {@Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/gif", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/webp", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "video/mp4", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "video/quicktime", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "video/webm", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "206", description = "the requested range of the file",
            content = {@Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/gif", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "image/webp", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "video/mp4", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "video/quicktime", schema = @Schema(type = "string", format = "binary")),
                @Content(mediaType = "video/webm", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "416", description = "a Range at or past the end (Content-Range: bytes */size)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    @Refusals(ErrorCode.FORBIDDEN)
    ResponseEntity<?> download(@PathVariable String mediaId, @PathVariable String variant,
            @RequestParam(required = false) String type, @RequestParam(required = false) String name,
            @RequestParam(required = false) String expires, @RequestParam(required = false) String signature,
            @RequestHeader(name = HttpHeaders.RANGE, required = false) String range, Who who)
            throws IOException, NoResourceFoundException {
        if (files == null) {
            String path = DiskMediaFiles.PATH + mediaId + "/" + variant;
            throw new NoResourceFoundException(HttpMethod.GET, path, path);
        }
        DiskMediaFiles.Download d = files.open(mediaId + "/" + variant, type, name, epochSeconds(expires), signature);
        if (range == null || range.startsWith("bytes=0-")) { // once per download, not per part a video player asks for
            audit.record(who, AuditAction.MEDIA_DOWNLOADED, mediaId, Map.of("variant", variant, "signedLink", "true"));
        }
        FileSystemResource file = new FileSystemResource(d.file());
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(d.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, d.contentDisposition())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .cacheControl(CacheControl.noStore());
        if (range == null) {
            return ok.body(file);
        }
        List<HttpRange> ranges;
        try {
            ranges = HttpRange.parseRanges(range);
        } catch (IllegalArgumentException e) {
            ranges = List.of();
        }
        if (ranges.isEmpty()) {
            // Ignored (RFC 9110 §14.2). Spring MVC answers Range only for Resource types other than
            // InputStreamResource, and would answer 416 for this one.
            return ok.header(HttpHeaders.ACCEPT_RANGES, "bytes").contentLength(file.contentLength())
                    .body(new InputStreamResource(file.getInputStream()));
        }
        try {
            HttpRange.toResourceRegions(ranges, file);
        } catch (IllegalArgumentException e) { // a range past the end, or more ranges than the file has bytes
            long size = file.contentLength();
            ProblemDetail problem = Problems.of(ErrorCode.BAD_REQUEST, "the Range '" + shorten(range)
                    + "' cannot be satisfied: the file has " + size + " bytes (0-" + (size - 1) + ")", List.of());
            problem.setStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value());
            return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + size)
                    .cacheControl(CacheControl.noStore())
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        return ok.body(file); // Spring MVC answers 206 with the regions
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static long epochSeconds(String expires) {
        try {
            return expires == null ? -1 : Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return -1; // fails the signature check: 403 like any other altered link
        }
    }
}
