package chatapp.chat;

/**
 * The photo or video a message carries (API.md, "Message" {@code media}).
 *
 * @param size bytes
 * @param width pixels, null if unknown
 * @param height pixels, null if unknown
 * @param durationMs videos only, else null
 */
public record MediaRef(String mediaId, String contentType, long size, Integer width, Integer height, Long durationMs) {
}
