package chatapp.aws.media;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.MotoServer;
import chatapp.core.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Message retention in the media bucket (docs/audit.md, "Retention"), on S3-on-moto: the bucket's
 * lifecycle rule expires only objects tagged {@link S3MediaFiles#RETENTION_TAG_KEY}, so a
 * message's photo, video and thumbnail carry the tag, whether put whole or in parts, and a profile
 * photo never does (deploy's TemplateTest checks the rule names this tag).
 */
class S3RetentionTagTest {

    private static final String BUCKET = "chatapp-retention-tags";
    private static S3Settings settings;
    private static S3Client s3;

    @TempDir
    Path tmp;

    @BeforeAll
    static void bucket() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        settings = new S3Settings(MotoServer.REGION, moto.endpoint(), BUCKET, MotoServer.CREDENTIALS);
        s3 = settings.client();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @Test
    void messagesMediaCarriesTheRetentionTagAndAProfilePhotoNever() throws IOException {
        Path file = Files.write(tmp.resolve("photo.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3});
        try (var presigner = settings.presigner()) {
            // whole objects, and (threshold 0) objects put in parts
            for (long threshold : List.of(1L << 20, 0L)) {
                S3MediaFiles files = new S3MediaFiles(s3, presigner, BUCKET, threshold, 5L << 20);
                String id = Ids.random();
                for (String variant : List.of("original", "thumbnail", "avatar", "avatar-thumbnail")) {
                    files.put(id + "/" + variant, file, "image/jpeg");
                }
                Map<String, String> retention = Map.of(S3MediaFiles.RETENTION_TAG_KEY, S3MediaFiles.RETENTION_TAG_VALUE);
                assertThat(tags(id + "/original")).as("threshold " + threshold).isEqualTo(retention);
                assertThat(tags(id + "/thumbnail")).as("threshold " + threshold).isEqualTo(retention);
                assertThat(tags(id + "/avatar")).as("a profile photo outlives messages").isEmpty();
                assertThat(tags(id + "/avatar-thumbnail")).as("a profile photo outlives messages").isEmpty();
            }
        }
    }

    private static Map<String, String> tags(String key) {
        return s3.getObjectTagging(b -> b.bucket(BUCKET).key(key)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }
}
