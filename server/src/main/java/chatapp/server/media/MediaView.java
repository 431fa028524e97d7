package chatapp.server.media;

import chatapp.media.Media;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to {@code POST /media} (API.md): {@code {mediaId, contentType, size, width?,
 * height?, durationMs?}}; the same shape as a message's {@code media} object. Unknown
 * dimensions are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MediaView(String mediaId, String contentType, long size, Integer width, Integer height, Long durationMs) {

    static MediaView of(Media m) {
        return new MediaView(m.mediaId(), m.format().contentType(), m.size(), m.width(), m.height(), m.durationMs());
    }
}
