package chatapp.server.media;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Upload limits and link lifetime (issue 7), under {@code chatapp.upload.*}; each also an
 * environment variable ({@code CHATAPP_UPLOAD_IMAGEMAXSIZE=20MB}, ...). Where media live is
 * {@code CHATAPP_MEDIA} ({@code disk} or {@code s3}) with {@code CHATAPP_S3_BUCKET} and
 * {@code CHATAPP_S3_ENDPOINT}, in {@link chatapp.server.ChatAppProperties}.
 *
 * @param imageMaxSize largest photo upload (JPEG, PNG, GIF, WebP)
 * @param videoMaxSize largest video upload (MP4, WebM, QuickTime)
 * @param maxPixels largest photo in pixels (an animated GIF: all frames together)
 * @param urlValidity how long a download link from {@code GET /media/{id}} works
 */
@ConfigurationProperties("chatapp.upload")
public record MediaProperties(
        @DefaultValue("10MB") DataSize imageMaxSize,
        @DefaultValue("100MB") DataSize videoMaxSize,
        @DefaultValue("50000000") long maxPixels,
        @DefaultValue("5m") Duration urlValidity) {
}
