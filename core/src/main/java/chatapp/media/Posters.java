package chatapp.media;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * A video's poster frame and duration, read by the {@code ffmpeg} and {@code ffprobe} executables
 * (docs/decisions/0048-video-posters.md). Decoding untrusted video is an attack surface, so each
 * run is its own process, held to bounds: the container's demuxer is named (never guessed from
 * the bytes), only the {@code file} protocol is allowed, one decoding thread, at most
 * {@code maxPixels} a frame, a virtual-memory ceiling ({@value #MEMORY_KIB} KiB, through the
 * shell's {@code ulimit -v}), and {@link #TIME_LIMIT} of wall time, after which the process is
 * killed. At most as many videos as there are cores are decoded at once.
 *
 * <p>If {@code ffmpeg} or {@code ffprobe} is not on the {@code PATH}, videos are still accepted
 * without a poster ({@link #available()} is false; docs/media.md, "Posters").
 */
final class Posters {

    private static final System.Logger log = System.getLogger(Posters.class.getName());
    static final Duration TIME_LIMIT = Duration.ofSeconds(30);
    static final long MEMORY_KIB = 2L << 20; // 2 GiB of address space: a 4K frame takes ~12 MiB
    private static final Semaphore DECODING = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

    /** The executables found on the PATH; empty if either is missing (the degraded mode). */
    private final Optional<Tools> tools;

    private record Tools(Path ffmpeg, Path ffprobe) {
    }

    /**
     * What decoding found.
     *
     * @param poster the poster frame, decoded (at most {@link Photos#THUMBNAIL_SIZE} on its longer side)
     * @param width pixels of the video, null if unknown
     * @param height pixels, null if unknown
     * @param durationMs milliseconds, null if unknown
     */
    record Decoded(BufferedImage poster, Integer width, Integer height, Long durationMs) {
    }

    private Posters(Optional<Tools> tools) {
        this.tools = tools;
    }

    /** Uses {@code ffmpeg} and {@code ffprobe} from the {@code PATH}; logs once if they are missing. */
    static Posters fromPath() {
        Optional<Path> ffmpeg = onPath("ffmpeg");
        Optional<Path> ffprobe = onPath("ffprobe");
        if (ffmpeg.isEmpty() || ffprobe.isEmpty()) {
            log.log(System.Logger.Level.WARNING, "ffmpeg or ffprobe is not installed: videos are accepted without a"
                    + " poster frame, and WebM videos without their duration (docs/media.md, \"Posters\")");
            return new Posters(Optional.empty());
        }
        return new Posters(Optional.of(new Tools(ffmpeg.get(), ffprobe.get())));
    }

    /** A decoder that is not there: the degraded mode, for tests. */
    static Posters none() {
        return new Posters(Optional.empty());
    }

    /** Whether videos get a poster and a probed duration. */
    boolean available() {
        return tools.isPresent();
    }

    /**
     * Probes and decodes the first frame of {@code video}.
     *
     * @throws IllegalStateException if {@link #available()} is false
     * @throws ChatAppException 415 {@code unsupported_media} if the video cannot be decoded within
     *     the bounds (no video stream, a damaged stream, the time limit); 413 {@code too_large} if
     *     its frames are larger than {@code maxPixels}
     */
    Decoded decode(Path video, MediaFormat format, long maxPixels, Path dir) {
        Tools t = tools.orElseThrow(() -> new IllegalStateException("no video decoder"));
        String demuxer = format == MediaFormat.WEBM ? "matroska" : "mov";
        DECODING.acquireUninterruptibly();
        try {
            Probe probe = probe(t, video, demuxer, format);
            if (probe.width() != null && probe.height() != null
                    && (long) probe.width() * probe.height() > maxPixels) {
                throw new ChatAppException(ErrorCode.TOO_LARGE, "the video's frames are " + probe.width() + " × "
                        + probe.height() + " pixels, over the " + maxPixels + " allowed");
            }
            Path png = Files.createTempFile(dir, "poster", ".png");
            try {
                String scale = "scale=w='min(" + Photos.THUMBNAIL_SIZE + ",iw)':h='min(" + Photos.THUMBNAIL_SIZE
                        + ",ih)':force_original_aspect_ratio=decrease";
                run(format, List.of(t.ffmpeg().toString(), "-nostdin", "-hide_banner", "-v", "error", "-y",
                        "-protocol_whitelist", "file", "-threads", "1", "-max_pixels", Long.toString(decoderPixels(maxPixels)),
                        "-f", demuxer, "-i", "file:" + video.toAbsolutePath(), "-map", "0:v:0", "-frames:v", "1",
                        "-an", "-sn", "-dn", "-map_metadata", "-1", "-vf", scale, "-f", "image2", "-c:v", "png",
                        "file:" + png.toAbsolutePath()));
                BufferedImage frame = Files.size(png) == 0 ? null : ImageIO.read(png.toFile());
                if (frame == null) {
                    throw unreadable(format, "no frame could be decoded");
                }
                return new Decoded(frame, probe.width(), probe.height(), probe.durationMs());
            } finally {
                Photos.deleteQuietly(png);
            }
        } catch (IOException e) {
            throw unreadable(format, "it could not be read");
        } finally {
            DECODING.release();
        }
    }

    /**
     * The decoder's own bound: the frame size was checked against {@code maxPixels} already;
     * decoders allocate for the coded size, padded to their block alignment, so they get room
     * for it (a quarter more, at least a million pixels).
     */
    static long decoderPixels(long maxPixels) {
        return Math.max(maxPixels + maxPixels / 4, maxPixels + (1L << 20));
    }

    private record Probe(Integer width, Integer height, Long durationMs) {
    }

    /**
     * Width, height and duration from the container; where the container states no duration
     * (a WebM streamed by a browser's MediaRecorder), the end of the last video packet.
     */
    private Probe probe(Tools t, Path video, String demuxer, MediaFormat format) throws IOException {
        List<String> base = List.of(t.ffprobe().toString(), "-hide_banner", "-v", "error", "-protocol_whitelist",
                "file", "-f", demuxer, "-select_streams", "v:0", "-of", "default=noprint_wrappers=1");
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of("-show_entries", "format=duration:stream=width,height,duration",
                "file:" + video.toAbsolutePath()));
        Integer width = null;
        Integer height = null;
        Double seconds = null;
        Double streamSeconds = null;
        boolean hasVideo = false;
        for (String line : run(format, command).split("\n")) {
            String[] kv = line.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            switch (kv[0]) {
                case "width" -> {
                    width = positiveInt(kv[1]);
                    hasVideo = true;
                }
                case "height" -> height = positiveInt(kv[1]);
                // format's duration comes after the stream's
                case "duration" -> {
                    Double d = positiveDouble(kv[1]);
                    if (d != null) {
                        if (streamSeconds == null && seconds == null) {
                            streamSeconds = d;
                        } else {
                            seconds = d;
                        }
                    }
                }
                default -> { }
            }
        }
        if (!hasVideo) {
            throw unreadable(format, "it has no video stream");
        }
        Double duration = seconds != null ? seconds : streamSeconds;
        if (duration == null) {
            duration = lastPacketEnd(t, base, video, format);
        }
        return new Probe(width, height, duration == null ? null : Math.round(duration * 1000));
    }

    private Double lastPacketEnd(Tools t, List<String> base, Path video, MediaFormat format) throws IOException {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of("-show_entries", "packet=pts_time,duration_time", "file:" + video.toAbsolutePath()));
        Double end = null;
        Double pts = null;
        for (String line : run(format, command).split("\n")) {
            String[] kv = line.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if (kv[0].equals("pts_time")) {
                pts = positiveDouble(kv[1]);
            } else if (kv[0].equals("duration_time") && pts != null) {
                Double d = positiveDouble(kv[1]);
                double e = pts + (d == null ? 0 : d);
                end = end == null ? e : Math.max(end, e);
            }
        }
        return end;
    }

    /** Runs one bounded process; its standard output, or 415 if it fails or runs out of time. */
    private static String run(MediaFormat format, List<String> command) throws IOException {
        List<String> bounded = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -v " + MEMORY_KIB + " && exec \"$@\"",
                "sh"));
        bounded.addAll(command);
        long started = System.nanoTime();
        Process p = new ProcessBuilder(bounded).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        try (InputStream out = p.getInputStream()) {
            // ffprobe's output is small except for the packet list (tens of bytes a packet)
            byte[] bytes = readBounded(out, p);
            if (!p.waitFor(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw unreadable(format, "decoding it took too long");
            }
            if (p.exitValue() != 0) {
                boolean killed = System.nanoTime() - started >= TIME_LIMIT.toNanos();
                throw unreadable(format, killed ? "decoding it took too long" : "the decoder could not read it");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw unreadable(format, "decoding was interrupted");
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** Reads the process's output, killing it once the time limit has passed. */
    private static byte[] readBounded(InputStream out, Process p) throws IOException {
        long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the process ended and its reader stopped the watchdog
            }
        });
        try {
            return out.readNBytes(16 << 20);
        } finally {
            watchdog.interrupt();
        }
    }

    private static ChatAppException unreadable(MediaFormat format, String why) {
        return new ChatAppException(ErrorCode.UNSUPPORTED_MEDIA,
                "the file is not a playable " + format.name().toLowerCase(Locale.ROOT) + " video: " + why);
    }

    private static Integer positiveInt(String s) {
        try {
            int v = Integer.parseInt(s.trim());
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double positiveDouble(String s) {
        try {
            double v = Double.parseDouble(s.trim());
            return v > 0 && Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
