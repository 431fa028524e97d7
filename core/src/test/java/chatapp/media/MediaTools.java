package chatapp.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Debian's ffmpeg and exiftool, as a test runs them: files carrying metadata are made with them
 * and what survives an upload is read with exiftool, the tool people use to look. A missing
 * tool fails the test (with the package to install), never skips it.
 */
public final class MediaTools {

    /** Planted by {@link #withMetadata} and {@link #video}; none of them may survive an upload. */
    public static final String TITLE = "SecretTitle19";
    public static final String COMMENT = "SecretComment19";
    public static final String AUTHOR = "SecretAuthor19";
    public static final String PLACE = "SecretPlace19";
    /** 2019-03-04 05:06:07 UTC as exiftool prints it. */
    public static final String DATE = "2019:03:04";

    /**
     * Tag names of what must not survive, whatever their value: positions, titles, comments,
     * people, capture dates, attachments, chapters, free text.
     */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "(?i).*(gps|location|title|comment|author|artist|creator|copyright|description|datetimeoriginal"
                    + "|dateutc|attach|chapter|keyword|make|model|software|encoder|userdefined|xmp|iptc).*");

    private MediaTools() {
    }

    /**
     * Runs a command, failing with its output if it cannot be started or exits non-zero.
     *
     * @return its standard output
     */
    public static String run(Path dir, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            Path err = Files.createTempFile(dir, "stderr-", ".txt");
            pb.redirectError(err.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new AssertionError(command[0] + " is not installed: the media tests need Debian's ffmpeg and"
                        + " libimage-exiftool-perl packages (apt-get install ffmpeg libimage-exiftool-perl)", e);
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            String stderr = Files.readString(err);
            Files.delete(err);
            if (code != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + code + ": " + stderr);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** ffmpeg's arguments that plant {@link #TITLE}, {@link #COMMENT}, {@link #AUTHOR}, a location and {@link #DATE}. */
    public static List<String> metadataArguments() {
        return List.of("-metadata", "title=" + TITLE, "-metadata", "comment=" + COMMENT,
                "-metadata", "artist=" + AUTHOR, "-metadata", "author=" + AUTHOR,
                "-metadata", "location=+48.8584+002.2945/", "-metadata", "location-eng=" + PLACE,
                "-metadata", "creation_time=2019-03-04T05:06:07Z", "-metadata:s:v", "title=" + TITLE);
    }

    /**
     * A one-second 160×120 test video made by ffmpeg into {@code dir}, carrying the planted
     * metadata: {@code format} is {@code mp4}, {@code mov} or {@code webm}.
     */
    public static Path video(Path dir, String format) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=160x120:rate=10", "-t", "1"));
        cmd.addAll(format.equals("webm") ? List.of("-c:v", "libvpx", "-b:v", "50k")
                : List.of("-c:v", "libx264", "-pix_fmt", "yuv420p"));
        cmd.addAll(metadataArguments());
        if (format.equals("mov")) {
            cmd.addAll(List.of("-metadata", "com.apple.quicktime.location.ISO6709=+48.8584+002.2945+035.000/",
                    "-metadata", "com.apple.quicktime.author=" + AUTHOR, "-movflags", "use_metadata_tags"));
        }
        Path out = dir.resolve("planted." + format);
        cmd.add(out.toString());
        run(dir, cmd.toArray(String[]::new));
        return out;
    }

    /**
     * Writes the planted metadata into the photo {@code file} with exiftool, as much as its
     * format holds: EXIF (GPS position, artist, capture date), XMP (title, creator, location,
     * description), IPTC, and the format's own comment.
     */
    public static void withMetadata(Path file) {
        run(file.getParent(), "exiftool", "-q", "-m", "-overwrite_original",
                "-GPSLatitude=48.8584", "-GPSLatitudeRef=N", "-GPSLongitude=2.2945", "-GPSLongitudeRef=E",
                "-EXIF:Artist=" + AUTHOR, "-EXIF:Make=" + AUTHOR, "-EXIF:DateTimeOriginal=2019:03:04 05:06:07",
                "-XMP-dc:Title=" + TITLE, "-XMP-dc:Creator=" + AUTHOR, "-XMP-dc:Description=" + COMMENT,
                "-XMP-iptcCore:Location=" + PLACE, "-XMP-exif:GPSLatitude=48.8584", "-XMP-exif:GPSLatitudeRef=N",
                "-IPTC:ObjectName=" + TITLE, "-Comment=" + COMMENT, "-PNG:Title=" + TITLE, file.toString());
    }

    /**
     * exiftool's reading of {@code file} ({@code -G1 -a -u}: every tag, unknown and duplicate
     * ones too, with its group; {@code -args} prints one {@code -Group:Tag=value} a line, the
     * tags of {@code -j}), without the groups that describe the file on disk rather than its
     * content.
     */
    public static Map<String, String> exif(Path file) {
        Map<String, String> tags = new TreeMap<>();
        String out = run(file.getParent(), "exiftool", "-args", "-G1", "-a", "-u", file.toString());
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (!line.startsWith("-") || eq < 0) {
                continue;
            }
            String tag = line.substring(1, eq);
            if (!tag.startsWith("System:") && !tag.startsWith("ExifTool:")) {
                tags.merge(tag, line.substring(eq + 1), (a, b) -> a + " | " + b);
            }
        }
        return tags;
    }

    /**
     * What exiftool still finds of the planted metadata in {@code file}: tags whose name is one of
     * the forbidden kinds, and any tag whose value holds planted text or the planted date.
     * Empty for a clean file.
     */
    public static List<String> metadataLeft(Path file) {
        List<String> left = new ArrayList<>();
        exif(file).forEach((tag, value) -> {
            String name = tag.substring(tag.indexOf(':') + 1);
            if (FORBIDDEN.matcher(name).matches() || value.contains(TITLE) || value.contains(COMMENT)
                    || value.contains(AUTHOR) || value.contains(PLACE) || value.contains(DATE)
                    || value.contains("48.8584") || value.contains("48 deg")) {
                left.add(tag + "=" + value);
            }
        });
        return left;
    }

    /** Fails unless ffmpeg decodes every frame of {@code video} without a complaint. */
    public static void assertPlays(Path video) {
        run(video.getParent(), "ffmpeg", "-v", "error", "-xerror", "-i", video.toString(), "-f", "null", "-");
    }
}
