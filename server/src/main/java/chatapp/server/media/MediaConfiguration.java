package chatapp.server.media;

import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import chatapp.media.MediaFiles;
import chatapp.media.MediaLimits;
import chatapp.media.MediaService;
import chatapp.media.MediaStore;
import chatapp.media.UnattachedUploads;
import chatapp.media.UploadLimits;
import chatapp.server.AccountLimitsProperties;
import chatapp.server.ChatAppProperties;
import jakarta.servlet.MultipartConfigElement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Wires photos and videos: the limits, the service (on the shape's records and files), the
 * multipart settings derived from the limits.
 */
@Configuration(proxyBeanMethods = false)
class MediaConfiguration {

    @Bean
    UnattachedUploads unattachedUploads(MediaStore store, MediaFiles files, Clock clock,
            AccountLimitsProperties limits) {
        return new UnattachedUploads(store, files, clock, limits.unattachedMediaAge());
    }

    /** Deletes uploads never sent, every {@code chatapp.limits.unattached-media-sweep}; stopped with the server. */
    @Bean(destroyMethod = "close")
    UnattachedUploadsSweep unattachedUploadsSweep(UnattachedUploads uploads, AccountLimitsProperties limits) {
        return new UnattachedUploadsSweep(uploads, limits.unattachedMediaSweep(), limits.unattachedMediaAge());
    }

    @Bean
    MediaLimits mediaLimits(MediaProperties p) {
        return new MediaLimits(p.imageMaxSize().toBytes(), p.videoMaxSize().toBytes(), p.maxPixels());
    }

    @Bean
    MediaService mediaService(MediaStore store, MediaFiles files, MediaLimits limits, MediaProperties p,
            ChatAppProperties app, Clock clock, RateLimitStore buckets, AccountLimitsProperties accountLimits) {
        return new MediaService(store, files, limits, spool(app, "media"), p.urlValidity(), clock,
                new UploadLimits(new RateLimiter(buckets, clock), accountLimits.uploads()));
    }

    /**
     * Multipart uploads are written to disk under the data directory as they arrive (never held
     * in memory), and the container stops reading past the largest upload limit: Spring turns
     * that into {@code MaxUploadSizeExceededException}, answered 413 {@code too_large}.
     */
    @Bean
    MultipartConfigElement multipartConfigElement(MediaLimits limits, ChatAppProperties app) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setLocation(spool(app, "multipart").toString());
        factory.setMaxFileSize(DataSize.ofBytes(limits.largest()));
        factory.setMaxRequestSize(DataSize.ofBytes(limits.largest() + (64 << 10))); // room for part headers
        factory.setFileSizeThreshold(DataSize.ofBytes(0));
        return factory.createMultipartConfig();
    }

    /**
     * With {@code chatapp.media=s3} the links are S3's and {@link MediaFileController} serves
     * nothing: its route is left out of the OpenAPI document, as when the controller was made only
     * for disk media (before Spring's AOT processing, docs/decisions/0058-spring-aot.md).
     */
    @Bean
    org.springdoc.core.customizers.OpenApiCustomizer signedLinksOnlyOnDisk(ChatAppProperties app) {
        boolean disk = app.media() == ChatAppProperties.Media.DISK;
        return api -> {
            if (!disk && api.getPaths() != null) {
                api.getPaths().keySet().removeIf(path -> path.startsWith(MediaFiles.SIGNED_PATH));
            }
        };
    }

    /** {@code <data dir>/tmp/<name>}, created owner-only like the data directory. */
    private static Path spool(ChatAppProperties app, String name) {
        Path dir = app.dataDir().toAbsolutePath().normalize().resolve("tmp").resolve(name);
        try {
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
