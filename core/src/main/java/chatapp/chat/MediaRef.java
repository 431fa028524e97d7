package chatapp.chat;

/**
 * The photo or video a message carries (API.md, "Message" {@code media}).
 *
 * @param size bytes
 * @param width pixels, null if unknown
 * @param height pixels, null if unknown
 * @param durationMs videos only, else null
 * @param poster videos only: whether it has a poster frame ({@code ?variant=thumbnail}; issue 21);
 *     null for photos (a photo always has a thumbnail) and for videos sent before posters existed
 *     (they have none)
 */
public record MediaRef(String mediaId, String contentType, long size, Integer width, Integer height, Long durationMs,
        Boolean poster) {

    /** A photo's, or a video's without knowing about its poster. */
    public MediaRef(String mediaId, String contentType, long size, Integer width, Integer height, Long durationMs) {
        this(mediaId, contentType, size, width, height, durationMs, null);
    }
}
