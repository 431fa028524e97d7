package chatapp.media;

import chatapp.core.ChatAppException;
import chatapp.core.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Photos and videos (API.md {@code POST /media}, {@code GET /media/{id}}, issue 7): receives an
 * upload as a stream, checks it by its bytes, strips photos and videos of their metadata,
 * thumbnails photos and gives videos a poster frame (issue 21),
 * stores the files and the record; hands out short-lived URLs only to the uploader and to the
 * users a message with the media was sent to.
 */
public final class MediaService {

    private static final System.Logger log = System.getLogger(MediaService.class.getName());
    /** Spool files older than this are leftovers of a crash, not uploads in progress. */
    private static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    /** The two things {@code GET /media/{id}?variant=} can ask for. */
    public enum Variant { ORIGINAL, THUMBNAIL }

    private final MediaStore store;
    private final MediaFiles files;
    private final MediaLimits limits;
    private final Path spoolDir;
    private final Duration urlValidity;
    private final Clock clock;
    private final UploadLimits uploadLimits;
    private final Posters posters;

    /**
     * @param spoolDir where uploads are received before they are stored (under the data
     *     directory); files left there by a crash (older than an hour) are removed now
     * @param urlValidity how long a download URL works (API.md: "a few minutes"; default 5 min)
     */
    public MediaService(MediaStore store, MediaFiles files, MediaLimits limits, Path spoolDir, Duration urlValidity,
            Clock clock) {
        this(store, files, limits, spoolDir, urlValidity, clock, UploadLimits.NONE);
    }

    /**
     * @param uploadLimits uploads per hour and bytes per day per account
     * @see #MediaService(MediaStore, MediaFiles, MediaLimits, Path, Duration, Clock)
     */
    public MediaService(MediaStore store, MediaFiles files, MediaLimits limits, Path spoolDir, Duration urlValidity,
            Clock clock, UploadLimits uploadLimits) {
        this(store, files, limits, spoolDir, urlValidity, clock, uploadLimits, Posters.fromPath());
    }

    /** For tests of the degraded mode (no {@code ffmpeg}): {@link Posters#none()}. */
    MediaService(MediaStore store, MediaFiles files, MediaLimits limits, Path spoolDir, Duration urlValidity,
            Clock clock, UploadLimits uploadLimits, Posters posters) {
        this.posters = Objects.requireNonNull(posters);
        this.uploadLimits = Objects.requireNonNull(uploadLimits);
        this.store = Objects.requireNonNull(store);
        this.files = Objects.requireNonNull(files);
        this.limits = Objects.requireNonNull(limits);
        this.spoolDir = spoolDir;
        this.urlValidity = urlValidity;
        this.clock = clock;
        clearSpool();
    }

    /** The limits uploads are held to. */
    public MediaLimits limits() {
        return limits;
    }

    /**
     * Receives, checks, cleans and stores one upload by {@code ownerId}. Reads {@code body} to its
     * end (or until a limit is passed); never holds it whole in memory.
     *
     * @return the stored record
     * @throws ChatAppException 400 {@code validation_failed} (field {@code file}) if empty or a
     *     damaged photo, 413 {@code too_large} past a limit (also a video's frame over
     *     {@code maxPixels}), 415 {@code unsupported_media} if not an accepted format or a video the
     *     decoder cannot read within its bounds (docs/media.md, "Posters"). Nothing is stored for a
     *     refused upload.
     */
    public Media upload(String ownerId, InputStream body) {
        return upload(ownerId, -1, body);
    }

    /**
     * {@link #upload(String, InputStream)} held to the owner's {@link UploadLimits}: one upload
     * is counted before the body is read, its bytes once it is received, before anything is stored.
     *
     * @param declaredBytes the body's declared length (Content-Length), negative if unknown: an
     *     upload declared over the bytes left today is refused before a byte is read
     * @throws ChatAppException 429 {@code rate_limited} over a limit; else as {@link #upload(String, InputStream)}
     */
    public Media upload(String ownerId, long declaredBytes, InputStream body) {
        return upload(ownerId, declaredBytes, body, Media.ORIGINAL, Media.THUMBNAIL);
    }

    /**
     * As {@link #upload(String, long, InputStream)}, stored as a profile photo ({@link Avatars}):
     * under the avatar's keys, which message retention never removes ({@link Media#isAvatar}).
     */
    Media uploadAvatar(String ownerId, long declaredBytes, InputStream body) {
        return upload(ownerId, declaredBytes, body, Media.AVATAR, Media.AVATAR_THUMBNAIL);
    }

    private Media upload(String ownerId, long declaredBytes, InputStream body, String originalVariant,
            String thumbnailVariant) {
        uploadLimits.beforeUpload(ownerId, declaredBytes);
        Spool.Received received = Spool.receive(body, spoolDir, limits);
        List<Path> temporary = new ArrayList<>(List.of(received.file()));
        try {
            uploadLimits.received(ownerId, received.size());
            String mediaId = Ids.random();
            String originalKey = mediaId + "/" + originalVariant;
            String thumbnailKey = mediaId + "/" + thumbnailVariant;
            Media media;
            if (received.format().isImage()) {
                Photos.Cleaned photo = Photos.clean(received.file(), received.format(), limits.maxPixels(), spoolDir);
                temporary.add(photo.file());
                temporary.add(photo.thumbnail());
                media = new Media(mediaId, ownerId, photo.format(), Files.size(photo.file()), photo.width(),
                        photo.height(), null, originalKey, thumbnailKey, clock.instant());
                store(media, photo.file(), photo.thumbnail());
            } else {
                if (received.format() == MediaFormat.WEBM) {
                    WebmMetadata.blank(received.file());
                } else {
                    VideoMetadata.blank(received.file());
                }
                Videos.Probe probe = Videos.probe(received.file(), received.format());
                Path poster = null;
                if (posters.available()) {
                    Posters.Decoded decoded = posters.decode(received.file(), received.format(), limits.maxPixels(),
                            spoolDir);
                    poster = Files.createTempFile(spoolDir, "poster", ".jpg");
                    temporary.add(poster);
                    Photos.writeThumbnail(decoded.poster(), poster);
                    // the container's own header wins where it has one (MP4, QuickTime); WebM's come from the decoder
                    probe = new Videos.Probe(first(probe.width(), decoded.width()), first(probe.height(), decoded.height()),
                            first(probe.durationMs(), decoded.durationMs()));
                }
                media = new Media(mediaId, ownerId, received.format(), received.size(), probe.width(), probe.height(),
                        probe.durationMs(), originalKey, poster == null ? null : thumbnailKey, clock.instant());
                store(media, received.file(), poster);
            }
            return media;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            temporary.forEach(Photos::deleteQuietly);
        }
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }

    /** Files first, then the record; if anything fails, what was stored is removed again. */
    private void store(Media media, Path original, Path thumbnail) {
        List<String> stored = new ArrayList<>();
        try {
            files.put(media.originalKey(), original, media.format().contentType());
            stored.add(media.originalKey());
            if (thumbnail != null) {
                files.put(media.thumbnailKey(), thumbnail, Media.THUMBNAIL_CONTENT_TYPE);
                stored.add(media.thumbnailKey());
            }
            store.create(media);
        } catch (RuntimeException e) {
            for (String key : stored) {
                try {
                    files.delete(key);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * A URL to download {@code variant} of the media, valid for the configured few minutes,
     * for its uploader or a user a message with it was sent to.
     *
     * @throws ChatAppException 404 for anyone else, as for an unknown id (existence must not
     *     leak); 404 for the thumbnail of a video that has no poster (accepted while no decoder
     *     was installed, or before posters existed)
     */
    public URI link(String callerId, String mediaId, Variant variant) {
        Media media = store.find(mediaId)
                .filter(m -> m.ownerId().equals(callerId) || store.isViewer(mediaId, callerId))
                .orElseThrow(() -> ChatAppException.notFound("no such media"));
        if (variant == Variant.THUMBNAIL) {
            if (media.thumbnailKey() == null) {
                throw ChatAppException.notFound("this video has no poster");
            }
            return files.url(media.thumbnailKey(), Media.THUMBNAIL_CONTENT_TYPE, mediaId + "-thumbnail.jpg",
                    urlValidity);
        }
        return files.url(media.originalKey(), media.format().contentType(),
                mediaId + "." + media.format().extension(), urlValidity);
    }

    /**
     * A short-lived URL to {@code variant} of {@code media}, without a viewer check: for
     * {@link Avatars}, whose caller has checked who may see the profile.
     *
     * @throws ChatAppException 404 for the thumbnail of a video
     */
    URI linkTo(Media media, Variant variant) {
        if (variant == Variant.THUMBNAIL) {
            if (media.thumbnailKey() == null) {
                throw ChatAppException.notFound("this video has no thumbnail");
            }
            return files.url(media.thumbnailKey(), Media.THUMBNAIL_CONTENT_TYPE, media.mediaId() + "-thumbnail.jpg",
                    urlValidity);
        }
        return files.url(media.originalKey(), media.format().contentType(),
                media.mediaId() + "." + media.format().extension(), urlValidity);
    }

    /** Who uploaded {@code mediaId}, if it exists: the audit log names the owner of what was viewed (docs/audit.md). */
    public java.util.Optional<String> ownerOf(String mediaId) {
        return store.find(mediaId).map(Media::ownerId);
    }

    private void clearSpool() {
        if (!Files.isDirectory(spoolDir)) {
            return;
        }
        long cutoff = clock.millis() - LEFTOVER_AGE.toMillis();
        try (Stream<Path> leftovers = Files.list(spoolDir)) {
            leftovers.filter(p -> lastModified(p) < cutoff).forEach(Photos::deleteQuietly);
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "could not clear the media spool directory " + spoolDir, e);
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
