package chatapp.media;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.mov.QuickTimeDirectory;
import com.drew.metadata.mov.media.QuickTimeVideoDirectory;
import com.drew.metadata.mp4.Mp4Directory;
import com.drew.metadata.mp4.media.Mp4VideoDirectory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What can be told about a video without decoding it: width, height and duration from the
 * MP4/QuickTime headers (metadata-extractor reads the boxes and skips the media data). WebM
 * headers are not read here: {@link Posters} (ffprobe) tells them. The poster frame comes from
 * {@link Posters} too: no maintained pure-Java decoder covers H.264, HEVC, VP8/VP9 and AV1
 * (docs/decisions/0048-video-posters.md).
 */
final class Videos {

    private Videos() {
    }

    /** Width and height in pixels and duration in milliseconds; each null if unknown. */
    record Probe(Integer width, Integer height, Long durationMs) {
    }

    static Probe probe(Path file, MediaFormat format) {
        if (format == MediaFormat.WEBM) {
            return new Probe(null, null, null);
        }
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(file.toFile());
            Integer width = null;
            Integer height = null;
            Long durationMs = null;
            for (Directory d : metadata.getDirectories()) {
                if (d instanceof Mp4VideoDirectory || d instanceof QuickTimeVideoDirectory) {
                    int w = d instanceof Mp4VideoDirectory ? Mp4VideoDirectory.TAG_WIDTH : QuickTimeVideoDirectory.TAG_WIDTH;
                    int h = d instanceof Mp4VideoDirectory ? Mp4VideoDirectory.TAG_HEIGHT : QuickTimeVideoDirectory.TAG_HEIGHT;
                    if (width == null && d.containsTag(w) && d.containsTag(h)) {
                        width = d.getInteger(w);
                        height = d.getInteger(h);
                    }
                } else if (d instanceof Mp4Directory || d instanceof QuickTimeDirectory) {
                    int scale = d instanceof Mp4Directory ? Mp4Directory.TAG_TIME_SCALE : QuickTimeDirectory.TAG_TIME_SCALE;
                    int duration = d instanceof Mp4Directory ? Mp4Directory.TAG_DURATION : QuickTimeDirectory.TAG_DURATION;
                    Long units = d.getLongObject(duration);
                    Long perSecond = d.getLongObject(scale);
                    if (durationMs == null && units != null && perSecond != null && perSecond > 0) {
                        durationMs = units * 1000 / perSecond;
                    }
                }
            }
            return new Probe(positive(width), positive(height), durationMs);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            return new Probe(null, null, null);
        }
    }

    private static Integer positive(Integer v) {
        return v == null || v <= 0 ? null : v;
    }
}
