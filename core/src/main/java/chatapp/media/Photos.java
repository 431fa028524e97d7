package chatapp.media;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.util.exif.ExifFilterUtils;
import net.coobird.thumbnailator.util.exif.Orientation;
import org.w3c.dom.Node;

/**
 * Makes a received photo safe to store: decodes it (ImageIO with TwelveMonkeys' JPEG and WebP
 * readers, which also read CMYK JPEGs), turns it upright by its EXIF orientation
 * (metadata-extractor reads it, Thumbnailator's filters apply it) and encodes it anew, so no EXIF,
 * XMP, IPTC, GPS position or comment survives: only pixels are written. JPEG stays JPEG
 * (quality 0.9), PNG stays PNG, GIF stays GIF with its frames, delays and looping (comments and
 * other application extensions dropped), WebP becomes PNG if it has transparency and JPEG
 * otherwise (ImageIO has no WebP writer). Also makes a thumbnail: JPEG, at most
 * {@value #THUMBNAIL_SIZE} px on its longer side, transparency flattened onto white.
 */
final class Photos {

    static final int THUMBNAIL_SIZE = 320;
    private static final float JPEG_QUALITY = 0.9f;
    private static final float THUMBNAIL_QUALITY = 0.8f;
    private static final String GIF_METADATA = "javax_imageio_gif_image_1.0";
    private static final String GIF_STREAM_METADATA = "javax_imageio_gif_stream_1.0";

    /** Decoding takes memory in proportion to pixels: a few photos at a time, not hundreds. */
    private static final Semaphore DECODING = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

    private Photos() {
    }

    /** A cleaned photo: its file and thumbnail (temporary, the caller deletes them). */
    record Cleaned(Path file, MediaFormat format, int width, int height, Path thumbnail) {
    }

    /**
     * @throws ChatAppException 400 if the file cannot be decoded as {@code format} (corrupt or
     *     truncated), 413 if it has more than {@code maxPixels} pixels
     */
    static Cleaned clean(Path upload, MediaFormat format, long maxPixels, Path dir) {
        DECODING.acquireUninterruptibly();
        List<Path> made = new ArrayList<>();
        try {
            Path out = temp(dir, made, "clean-");
            Path thumb = temp(dir, made, "thumb-");
            Cleaned cleaned = format == MediaFormat.GIF
                    ? cleanGif(upload, maxPixels, out, thumb)
                    : cleanStill(upload, format, maxPixels, out, thumb);
            made.clear();
            return cleaned;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            DECODING.release();
            made.forEach(Photos::deleteQuietly);
        }
    }

    private static Cleaned cleanStill(Path upload, MediaFormat format, long maxPixels, Path out, Path thumb)
            throws IOException {
        if (format == MediaFormat.WEBP) {
            WebpFrames.check(upload, maxPixels);
        }
        BufferedImage image;
        try (ImageInputStream in = new FileImageInputStream(upload.toFile())) {
            ImageReader reader = reader(format);
            try {
                reader.setInput(in, true, true);
                checkPixels((long) reader.getWidth(0) * reader.getHeight(0), maxPixels);
                List<String> warnings = warnings(reader);
                image = reader.read(0);
                requireNoWarnings(warnings);
            } catch (IOException | RuntimeException e) {
                throw unreadable(format, e);
            } finally {
                reader.dispose();
            }
        }
        image = upright(image, orientation(upload));
        MediaFormat stored = switch (format) {
            case WEBP -> image.getColorModel().hasAlpha() ? MediaFormat.PNG : MediaFormat.JPEG;
            default -> format;
        };
        if (stored == MediaFormat.JPEG) {
            writeJpeg(withoutAlpha(image), out, JPEG_QUALITY);
        } else if (!ImageIO.write(image, "png", out.toFile())) {
            throw new IllegalStateException("no PNG writer");
        }
        writeThumbnail(image, thumb);
        return new Cleaned(out, stored, image.getWidth(), image.getHeight(), thumb);
    }

    /** Frame by frame, so an animation keeps moving; each frame's metadata keeps timing only. */
    private static Cleaned cleanGif(Path upload, long maxPixels, Path out, Path thumb) throws IOException {
        try (ImageInputStream in = new FileImageInputStream(upload.toFile());
             ImageOutputStream output = new FileImageOutputStream(out.toFile())) {
            ImageReader reader = reader(MediaFormat.GIF);
            ImageWriter writer = ImageIO.getImageWriter(reader);
            try {
                reader.setInput(in, false, false);
                List<String> warnings = warnings(reader);
                Canvas canvas;
                int frames;
                try {
                    canvas = canvas(reader, maxPixels);
                    frames = reader.getNumImages(true);
                    canvas = frames(reader, frames, canvas, maxPixels);
                } catch (IOException | RuntimeException e) {
                    throw unreadable(MediaFormat.GIF, e);
                }
                if (!endsWithTrailer(upload)) {
                    // the reader counts only whole frames and says nothing of a cut-off one
                    throw unreadable(MediaFormat.GIF, new IOException("no GIF trailer"));
                }
                writer.setOutput(output);
                writer.prepareWriteSequence(screen(writer, canvas));
                for (int i = 0; i < frames; i++) {
                    IIOImage frame;
                    try {
                        frame = reader.readAll(i, null);
                        requireNoWarnings(warnings);
                    } catch (IOException | RuntimeException e) {
                        throw unreadable(MediaFormat.GIF, e);
                    }
                    // Re-quantised from ARGB: the writer's metadata for the reader's indexed
                    // frames loses their palette (JDK GIF writer), so each frame gets a fresh one.
                    BufferedImage image = argb((BufferedImage) frame.getRenderedImage());
                    if (i == 0) {
                        writeThumbnail(image, thumb);
                    }
                    writer.writeToSequence(new IIOImage(image, null, timingOnly(writer, image, frame.getMetadata())),
                            null);
                }
                writer.endWriteSequence();
                return new Cleaned(out, MediaFormat.GIF, canvas.width(), canvas.height(), thumb);
            } finally {
                reader.dispose();
                writer.dispose();
            }
        }
    }

    /** A GIF's logical screen: the canvas a viewer allocates and its frames are drawn on, in pixels. */
    private record Canvas(int width, int height) {
    }

    /**
     * The logical screen a GIF declares, checked against the limit before any frame is read:
     * a 40-byte GIF can declare 65535 × 65535 pixels, and viewers allocate the canvas whatever
     * its frames hold.
     */
    private static Canvas canvas(ImageReader reader, long maxPixels) throws IOException {
        IIOMetadataNode screen = child((IIOMetadataNode) reader.getStreamMetadata().getAsTree(GIF_STREAM_METADATA),
                "LogicalScreenDescriptor");
        int width = Integer.parseInt(screen.getAttribute("logicalScreenWidth"));
        int height = Integer.parseInt(screen.getAttribute("logicalScreenHeight"));
        if ((long) width * height > maxPixels) {
            throw new ChatAppException(ErrorCode.TOO_LARGE, "the GIF declares a canvas of " + width + " × " + height
                    + " pixels; at most " + maxPixels + " are accepted");
        }
        return new Canvas(width, height);
    }

    /**
     * Checks every frame from its descriptor (no pixel decoded): the canvas grown to hold each
     * frame where it is placed (some viewers grow it for a frame outside the declared screen)
     * within the limit, and the canvas times the frames too, since a viewer composes each frame
     * on the whole canvas.
     *
     * @return the canvas the cleaned GIF declares
     */
    private static Canvas frames(ImageReader reader, int frames, Canvas screen, long maxPixels) throws IOException {
        int width = screen.width();
        int height = screen.height();
        for (int i = 0; i < frames; i++) {
            IIOMetadataNode frame = child((IIOMetadataNode) reader.getImageMetadata(i).getAsTree(GIF_METADATA),
                    "ImageDescriptor");
            width = Math.max(width, Integer.parseInt(frame.getAttribute("imageLeftPosition"))
                    + Integer.parseInt(frame.getAttribute("imageWidth")));
            height = Math.max(height, Integer.parseInt(frame.getAttribute("imageTopPosition"))
                    + Integer.parseInt(frame.getAttribute("imageHeight")));
        }
        if ((long) width * height > maxPixels || width > 65535 || height > 65535) {
            throw new ChatAppException(ErrorCode.TOO_LARGE, "the GIF places its frames on a canvas of " + width + " × "
                    + height + " pixels; at most " + maxPixels + " are accepted");
        }
        checkPixels((long) width * height * frames, maxPixels);
        return new Canvas(width, height);
    }

    /** Stream metadata declaring {@code canvas} as the logical screen; nothing else is carried over. */
    private static IIOMetadata screen(ImageWriter writer, Canvas canvas) throws IIOInvalidTreeException {
        IIOMetadata stream = writer.getDefaultStreamMetadata(null);
        IIOMetadataNode root = new IIOMetadataNode(GIF_STREAM_METADATA);
        IIOMetadataNode screen = new IIOMetadataNode("LogicalScreenDescriptor");
        screen.setAttribute("logicalScreenWidth", Integer.toString(canvas.width()));
        screen.setAttribute("logicalScreenHeight", Integer.toString(canvas.height()));
        screen.setAttribute("colorResolution", "8");
        screen.setAttribute("pixelAspectRatio", "0");
        root.appendChild(screen);
        stream.mergeTree(GIF_STREAM_METADATA, root);
        return stream;
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) throws IOException {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (name.equals(n.getNodeName())) {
                return (IIOMetadataNode) n;
            }
        }
        throw new javax.imageio.IIOException("no " + name);
    }

    /**
     * A frame's metadata with only its position, timing, transparency and the looping
     * extension (NETSCAPE2.0): no comments, no XMP or other application data.
     */
    private static IIOMetadata timingOnly(ImageWriter writer, BufferedImage image, IIOMetadata read)
            throws IIOInvalidTreeException {
        IIOMetadataNode tree = (IIOMetadataNode) read.getAsTree(GIF_METADATA);
        for (Node child = tree.getFirstChild(); child != null; ) {
            Node next = child.getNextSibling();
            if ("CommentExtensions".equals(child.getNodeName()) || "LocalColorTable".equals(child.getNodeName())) {
                tree.removeChild(child);
            } else if ("ApplicationExtensions".equals(child.getNodeName())) {
                for (Node ext = child.getFirstChild(); ext != null; ) {
                    Node nextExt = ext.getNextSibling();
                    String id = ((IIOMetadataNode) ext).getAttribute("applicationID");
                    if (!"NETSCAPE".equals(id)) {
                        child.removeChild(ext);
                    }
                    ext = nextExt;
                }
                if (!child.hasChildNodes()) {
                    tree.removeChild(child);
                }
            }
            child = next;
        }
        IIOMetadata fresh = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
        fresh.mergeTree(GIF_METADATA, tree);
        return fresh;
    }

    private static ImageReader reader(MediaFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(format.contentType());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format.contentType());
        }
        return readers.next();
    }

    /** Every complete GIF ends with the trailer byte 0x3B (GIF89a specification, section 27). */
    private static boolean endsWithTrailer(Path gif) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(gif)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            return channel.size() > 0 && channel.read(last, channel.size() - 1) == 1 && last.get(0) == 0x3B;
        }
    }

    /**
     * Decoder warnings (e.g. "premature end of data segment") mean a damaged file, except the
     * benign ones in {@link #isBenign}.
     */
    private static List<String> warnings(ImageReader reader) {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (!isBenign(warning)) {
                warnings.add(warning);
            }
        });
        return warnings;
    }

    /**
     * Warnings about a sound file: TwelveMonkeys' JPEG reader says "No embedded ICC color
     * profile, will convert using inaccurate CMYK to RGB conversion" for every CMYK or YCCK
     * JPEG without a profile (Adobe APP14 only, as Photoshop and Pillow write them). The pixels
     * are all there; only the colour conversion is approximate (docs/media.md: CMYK is read).
     */
    static boolean isBenign(String warning) {
        return warning != null && warning.startsWith("No embedded ICC color profile");
    }

    private static void requireNoWarnings(List<String> warnings) throws IOException {
        if (!warnings.isEmpty()) {
            throw new javax.imageio.IIOException(warnings.getFirst());
        }
    }

    private static void checkPixels(long pixels, long maxPixels) {
        if (pixels > maxPixels) {
            throw new ChatAppException(ErrorCode.TOO_LARGE, "the photo has " + pixels
                    + " pixels; at most " + maxPixels + " are accepted");
        }
    }

    private static ChatAppException unreadable(MediaFormat format, Exception cause) {
        if (cause instanceof ChatAppException c) {
            return c;
        }
        return ChatAppException.invalid("file", "is not a readable " + format.name()
                + " image (damaged or truncated)");
    }

    /** The EXIF orientation (1..8), 1 if the photo has none or it cannot be read. */
    static int orientation(Path file) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(file.toFile());
            for (ExifIFD0Directory d : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
                if (d.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                    return d.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                }
            }
        } catch (ImageProcessingException | IOException | MetadataException | RuntimeException e) {
            // no readable orientation: show the pixels as stored
        }
        return 1;
    }

    private static BufferedImage upright(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        return ExifFilterUtils.getFilterForOrientation(Orientation.typeOf(orientation)).apply(image);
    }

    /** JPEG, at most {@link #THUMBNAIL_SIZE} on its longer side, pixels only (also a video's poster). */
    static void writeThumbnail(BufferedImage image, Path file) throws IOException {
        BufferedImage small = Math.max(image.getWidth(), image.getHeight()) <= THUMBNAIL_SIZE ? image
                : Thumbnails.of(image).size(THUMBNAIL_SIZE, THUMBNAIL_SIZE).asBufferedImage();
        writeJpeg(withoutAlpha(small), file, THUMBNAIL_QUALITY);
    }

    private static BufferedImage argb(BufferedImage image) {
        BufferedImage argb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = argb.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return argb;
    }

    /** RGB without alpha, transparency flattened onto white (JPEG has no alpha). */
    private static BufferedImage withoutAlpha(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /** Pixels only: no metadata is passed to the writer, so it writes none beyond JFIF's. */
    private static void writeJpeg(BufferedImage image, Path file, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = new FileImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static Path temp(Path dir, List<Path> made, String prefix) throws IOException {
        Path p = Files.createTempFile(dir, prefix, ".tmp");
        made.add(p);
        return p;
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temporary file; the spool directory is cleared on start
        }
    }
}
