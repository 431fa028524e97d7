package chatapp.media;

import chatapp.core.ChatAppException;
import chatapp.core.RateLimiter;
import chatapp.core.RateLimiter.Limit;
import java.time.Duration;

/**
 * Uploads per hour and bytes per day per account (issue 19), in the shape's rate-limit store so
 * they hold across every node (docs/security.md, "Limits"). An upload is counted when it starts;
 * its bytes are charged by what actually arrived, and refused before storing when a declared
 * length is already over what is left.
 */
public final class UploadLimits {

    /**
     * @param perHour uploads an account may start per hour
     * @param bytesPerDay bytes an account may upload per day (as received, before cleaning)
     * @throws IllegalArgumentException unless both are at least 1
     */
    public record Rate(int perHour, long bytesPerDay) {

        /** 60 uploads an hour, 500 MB a day (docs/security.md). */
        public static final Rate DEFAULT = new Rate(60, 500_000_000L);

        public Rate {
            if (perHour < 1 || bytesPerDay < 1) {
                throw new IllegalArgumentException("uploads per hour and bytes per day must be at least 1");
            }
        }
    }

    /** No limit: tools and tests of the media alone. */
    public static final UploadLimits NONE = new UploadLimits(null, null);

    private final RateLimiter limiter;
    private final Limit uploads;
    private final Limit bytes;

    /** @param limiter the shape's limiter; null for {@link #NONE} */
    public UploadLimits(RateLimiter limiter, Rate rate) {
        this.limiter = limiter;
        this.uploads = rate == null ? null : Limit.steady("upload", rate.perHour(), Duration.ofHours(1), rate.perHour(),
                "too many uploads from your account");
        this.bytes = rate == null ? null : Limit.steady("upload-bytes", rate.bytesPerDay(), Duration.ofDays(1),
                rate.bytesPerDay(), "your account has uploaded too many bytes today");
    }

    /**
     * Before the body is read: counts one upload and refuses one whose declared length is more
     * than the bytes left today.
     *
     * @param declaredBytes the request's Content-Length, negative if unknown
     * @throws ChatAppException 429 {@code rate_limited} with the time to wait
     */
    void beforeUpload(String ownerId, long declaredBytes) {
        if (limiter == null) {
            return;
        }
        if (declaredBytes > 0) {
            limiter.check(ownerId, bytes, declaredBytes);
        }
        limiter.take(ownerId, uploads);
    }

    /**
     * Once the body is received, before anything is stored: charges its size.
     *
     * @throws ChatAppException 429 {@code rate_limited} if fewer bytes are left today
     */
    void received(String ownerId, long receivedBytes) {
        if (limiter != null) {
            limiter.take(ownerId, bytes, receivedBytes);
        }
    }
}
