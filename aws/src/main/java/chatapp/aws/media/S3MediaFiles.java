package chatapp.aws.media;

import chatapp.media.Media;
import chatapp.media.MediaFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link MediaFiles} in a private S3 bucket: objects written with server-side encryption
 * (SSE-S3, AES-256), files above {@code multipartThreshold} in parts of {@code partSize} (S3
 * wants at least 5 MiB a part, except the last); read through presigned GET URLs (SigV4, valid
 * for the given time, at most 7 days) that also fix the {@code Content-Type} and
 * {@code Content-Disposition} of the answer. S3 serves {@code Range} itself.
 */
public final class S3MediaFiles implements MediaFiles {

    /** 16 MiB and 8 MiB: a photo goes in one request, a 100 MiB video in 13 parts. */
    public static final long DEFAULT_MULTIPART_THRESHOLD = 16L << 20;
    public static final long DEFAULT_PART_SIZE = 8L << 20;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final long multipartThreshold;
    private final long partSize;

    /**
     * The tag of every object that goes with messages under the deployment's retention
     * ({@link Media#expiresWithMessages}: a message's photo, video or thumbnail, never a profile
     * photo): the media bucket's lifecycle rule expires only objects with it
     * (deploy/template.yaml, rule {@code retention}; docs/audit.md, "Retention").
     */
    public static final String RETENTION_TAG_KEY = "chatapp-retention";
    public static final String RETENTION_TAG_VALUE = "messages";
    private static final String RETENTION_TAG = RETENTION_TAG_KEY + "=" + RETENTION_TAG_VALUE;

    public S3MediaFiles(S3Client s3, S3Presigner presigner, String bucket, long multipartThreshold, long partSize) {
        if (partSize < (5L << 20)) {
            throw new IllegalArgumentException("S3 parts are at least 5 MiB");
        }
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    @Override
    public void put(String key, Path file, String contentType) {
        try {
            long size = Files.size(file);
            if (size <= multipartThreshold) {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).tagging(tagging(key))
                        .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromFile(file));
            } else {
                putInParts(key, file, contentType, size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void putInParts(String key, Path file, String contentType, long size) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)
                .tagging(tagging(key)).serverSideEncryption(ServerSideEncryption.AES256)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += partSize) {
                int number = parts.size() + 1;
                long length = Math.min(partSize, size - offset);
                long from = offset;
                // The SDK opens the stream again if it retries the part.
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                                .contentLength(length),
                        RequestBody.fromContentProvider(() -> slice(file, from, length), length, contentType)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The object's tags: the retention tag for what goes with messages, none otherwise. */
    private static String tagging(String key) {
        return Media.expiresWithMessages(key) ? RETENTION_TAG : null;
    }

    /** {@code length} bytes of {@code file} from {@code offset}, read as the SDK sends them. */
    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file);
            channel.position(offset);
            return new FilterInputStream(Channels.newInputStream(channel)) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public java.io.InputStream open(String key) {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            throw new java.util.NoSuchElementException("no media under " + key);
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public URI url(String key, String contentType, String fileName, Duration validFor) {
        try {
            return presigner.presignGetObject(p -> p.signatureDuration(validFor)
                    .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentType(contentType)
                            .responseContentDisposition("inline; filename=\"" + fileName + "\"")))
                    .url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
