package chatapp.server.media;

import chatapp.media.Media;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The answer to {@code POST /media} (API.md): {@code {mediaId, contentType, size, width?,
 * height?, durationMs?}}; the same shape as a message's {@code media} object. Unknown
 * dimensions are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MediaView(@Schema(requiredMode = RequiredMode.REQUIRED) String mediaId,
        @Schema(requiredMode = RequiredMode.REQUIRED) String contentType,
        @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", description = "bytes") long size,
        Integer width, Integer height, Long durationMs) {

    static MediaView of(Media m) {
        return new MediaView(m.mediaId(), m.format().contentType(), m.size(), m.width(), m.height(), m.durationMs());
    }
}
