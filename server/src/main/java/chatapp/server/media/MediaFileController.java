package chatapp.server.media;

import chatapp.embedded.media.DiskMediaFiles;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the disk adapter's signed URLs ({@link DiskMediaFiles#PATH}{@code <mediaId>/<variant>});
 * the signature is the only credential. An altered or expired link is 403. The answer has the
 * type and name the link fixed, {@code X-Content-Type-Options: nosniff}, a sandboxing CSP, and
 * answers {@code Range} with 206 (Spring MVC's resource regions), so videos seek.
 */
@RestController
@ConditionalOnProperty(name = "chatapp.media", havingValue = "disk", matchIfMissing = true)
class MediaFileController {

    private final DiskMediaFiles files;

    MediaFileController(DiskMediaFiles files) {
        this.files = files;
    }

    @GetMapping(DiskMediaFiles.PATH + "{mediaId}/{variant}")
    ResponseEntity<Resource> download(@PathVariable String mediaId, @PathVariable String variant,
            @RequestParam(required = false) String type, @RequestParam(required = false) String name,
            @RequestParam(required = false) String expires, @RequestParam(required = false) String signature) {
        DiskMediaFiles.Download d = files.open(mediaId + "/" + variant, type, name, epochSeconds(expires), signature);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(d.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, d.contentDisposition())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .cacheControl(CacheControl.noStore())
                .body(new FileSystemResource(d.file()));
    }

    private static long epochSeconds(String expires) {
        try {
            return expires == null ? -1 : Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return -1; // fails the signature check: 403 like any other altered link
        }
    }
}
