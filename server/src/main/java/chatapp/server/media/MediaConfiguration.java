package chatapp.server.media;

import chatapp.aws.DynamoSettings;
import chatapp.aws.media.DynamoMediaStore;
import chatapp.aws.media.S3MediaFiles;
import chatapp.aws.media.S3Settings;
import chatapp.embedded.SqliteDatabase;
import chatapp.embedded.media.DiskMediaFiles;
import chatapp.embedded.media.SqliteMediaStore;
import chatapp.media.MediaFiles;
import chatapp.media.MediaLimits;
import chatapp.media.MediaService;
import chatapp.media.MediaStore;
import chatapp.server.ChatAppProperties;
import chatapp.server.SigningKeys;
import jakarta.servlet.MultipartConfigElement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Wires photos and videos: the limits, the service, the multipart settings derived from the
 * limits, the records store by {@code chatapp.store} and the files by {@code chatapp.media}.
 */
@Configuration(proxyBeanMethods = false)
class MediaConfiguration {

    @Bean
    MediaLimits mediaLimits(MediaProperties p) {
        return new MediaLimits(p.imageMaxSize().toBytes(), p.videoMaxSize().toBytes(), p.maxPixels());
    }

    @Bean
    MediaService mediaService(MediaStore store, MediaFiles files, MediaLimits limits, MediaProperties p,
            ChatAppProperties app, Clock clock) {
        return new MediaService(store, files, limits, spool(app, "media"), p.urlValidity(), clock);
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

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.store", havingValue = "sqlite", matchIfMissing = true)
    static class Sqlite {
        @Bean
        MediaStore mediaStore(SqliteDatabase database) {
            return new SqliteMediaStore(database);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.store", havingValue = "dynamodb")
    static class Dynamo {
        @Bean
        MediaStore mediaStore(DynamoDbClient client, DynamoSettings settings) {
            return new DynamoMediaStore(client, settings);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.media", havingValue = "disk", matchIfMissing = true)
    static class Disk {
        @Bean
        DiskMediaFiles mediaFiles(ChatAppProperties app, SigningKeys keys, Clock clock) {
            return new DiskMediaFiles(app.dataDir().toAbsolutePath().normalize().resolve("media"), keys.mediaUrlKey(),
                    clock);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.media", havingValue = "s3")
    static class S3 {
        @Bean
        S3Settings s3Settings(ChatAppProperties app) {
            return new S3Settings(null, app.s3Endpoint(), app.s3Bucket(), null);
        }

        @Bean(destroyMethod = "close")
        S3Client s3Client(S3Settings settings) {
            return settings.client();
        }

        @Bean(destroyMethod = "close")
        S3Presigner s3Presigner(S3Settings settings) {
            return settings.presigner();
        }

        @Bean
        MediaFiles mediaFiles(S3Client client, S3Presigner presigner, S3Settings settings) {
            return new S3MediaFiles(client, presigner, settings.bucket(), S3MediaFiles.DEFAULT_MULTIPART_THRESHOLD,
                    S3MediaFiles.DEFAULT_PART_SIZE);
        }
    }
}
