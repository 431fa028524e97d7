package chatapp.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Real photo files made in the tests, some carrying what must not survive an upload: a GPS
 * position and camera make in EXIF, an XMP packet with a position, a JPEG comment, PNG text and
 * GIF comments. Videos and WebP come from tiny committed fixtures (docs/media.md says how they
 * were made).
 */
public final class TestImages {

    /** Text planted in metadata; a cleaned file must not contain any of it. */
    public static final String CAMERA = "SecretPhone";
    public static final String XMP_POSITION = "GPSLatitude";
    public static final String COMMENT = "home address comment";

    private TestImages() {
    }

    /** A {@code width}×{@code height} JPEG, left half red, right half blue, no metadata. */
    public static byte[] jpeg(int width, int height) {
        return encode(picture(width, height, false), "jpeg");
    }

    /**
     * A JPEG with EXIF (camera make, {@code orientation}, a GPS position 48°51'30"N 2°17'24"E),
     * an XMP packet with a position, and a comment. Its pixels are {@code width}×{@code height}.
     */
    public static byte[] jpegWithGps(int width, int height, int orientation) {
        byte[] plain = jpeg(width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        segment(out, 0xE1, concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), exif(orientation)));
        segment(out, 0xE1, concat("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1),
                ("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                        + "<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:" + XMP_POSITION
                        + "=\"48,51.5N\"/></rdf:RDF></x:xmpmeta>").getBytes(StandardCharsets.UTF_8)));
        segment(out, 0xFE, COMMENT.getBytes(StandardCharsets.US_ASCII));
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    /**
     * A CMYK JPEG as Photoshop or Pillow ({@code Image.new('CMYK', ...)}) write it: four
     * components, an Adobe APP14 segment (transform 0: no colour transform), no ICC profile and
     * no JFIF. Its pixels are {@code width}×{@code height}, cyan fading in left to right.
     */
    public static byte[] cmykJpeg(int width, int height) {
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, new int[] {x * 255 / width, y * 255 / height, 0, 20});
            }
        }
        byte[] plain;
        try {
            // The JDK's own writer takes a bare four-band raster; it writes no APP14 of its own.
            ImageWriter writer = null;
            for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
                ImageWriter w = it.next();
                if (w.getClass().getName().startsWith("com.sun.")) {
                    writer = w;
                }
            }
            plain = write(writer, new IIOImage(raster, null, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        segment(out, 0xEE, new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0}); // version 100, transform 0
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    /** A PNG, with transparency if {@code alpha}, carrying a text chunk with {@link #COMMENT}. */
    public static byte[] png(int width, int height, boolean alpha) {
        BufferedImage image = picture(width, height, alpha);
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
            IIOMetadataNode text = new IIOMetadataNode("tEXt");
            IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
            entry.setAttribute("keyword", "Comment");
            entry.setAttribute("value", COMMENT);
            text.appendChild(entry);
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(text);
            metadata.mergeTree("javax_imageio_png_1.0", root);
            return write(writer, new IIOImage(image, null, metadata));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An animated GIF of {@code frames} frames (100 ms each, looping) with a comment extension. */
    public static byte[] gif(int width, int height, int frames) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < frames; i++) {
                    BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                    Graphics2D g = frame.createGraphics();
                    g.setColor(i % 2 == 0 ? Color.RED : Color.GREEN);
                    g.fillRect(0, 0, width, height);
                    g.dispose();
                    IIOMetadata metadata = writer.getDefaultImageMetadata(
                            ImageTypeSpecifier.createFromRenderedImage(frame), null);
                    IIOMetadataNode root = new IIOMetadataNode("javax_imageio_gif_image_1.0");
                    IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                    control.setAttribute("disposalMethod", "none");
                    control.setAttribute("userInputFlag", "FALSE");
                    control.setAttribute("transparentColorFlag", "FALSE");
                    control.setAttribute("delayTime", "10");
                    control.setAttribute("transparentColorIndex", "0");
                    root.appendChild(control);
                    IIOMetadataNode comments = new IIOMetadataNode("CommentExtensions");
                    IIOMetadataNode comment = new IIOMetadataNode("CommentExtension");
                    comment.setAttribute("value", COMMENT);
                    comments.appendChild(comment);
                    root.appendChild(comments);
                    if (i == 0) {
                        IIOMetadataNode apps = new IIOMetadataNode("ApplicationExtensions");
                        IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                        loop.setAttribute("applicationID", "NETSCAPE");
                        loop.setAttribute("authenticationCode", "2.0");
                        loop.setUserObject(new byte[] {1, 0, 0});
                        apps.appendChild(loop);
                        root.appendChild(apps);
                    }
                    metadata.mergeTree("javax_imageio_gif_image_1.0", root);
                    writer.writeToSequence(new IIOImage(frame, null, metadata), null);
                }
                writer.endWriteSequence();
            }
            writer.dispose();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A committed fixture under {@code chatapp/media/} (tiny.mp4, tiny.webm, tiny.mov, with-xmp.webp). */
    public static byte[] fixture(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An ELF executable's first bytes and some padding: what a renamed program looks like. */
    public static byte[] executable() {
        byte[] b = new byte[4096];
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(elf, 0, b, 0, elf.length);
        b[16] = 2; // ET_EXEC
        b[18] = 0x3e; // x86-64
        return b;
    }

    /** Whether {@code haystack} contains the bytes of {@code text}. */
    public static boolean contains(byte[] haystack, String text) {
        byte[] needle = text.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * What is left in {@code file} of the planted metadata: text found, or EXIF, GPS and XMP
     * directories that metadata-extractor reads. Empty for a cleaned file.
     */
    public static java.util.List<String> metadataLeft(byte[] file) {
        java.util.List<String> left = new java.util.ArrayList<>();
        for (String planted : new String[] {CAMERA, XMP_POSITION, COMMENT, "Exif\0\0"}) {
            if (contains(file, planted)) {
                left.add("text " + planted.replace("\0", ""));
            }
        }
        try {
            com.drew.metadata.Metadata metadata = com.drew.imaging.ImageMetadataReader.readMetadata(
                    new java.io.ByteArrayInputStream(file));
            for (com.drew.metadata.Directory d : metadata.getDirectories()) {
                if (d instanceof com.drew.metadata.exif.GpsDirectory || d instanceof com.drew.metadata.exif.ExifIFD0Directory
                        || d instanceof com.drew.metadata.xmp.XmpDirectory) {
                    left.add(d.getName());
                }
            }
        } catch (com.drew.imaging.ImageProcessingException | IOException e) {
            left.add("unreadable: " + e.getMessage());
        }
        return left;
    }

    /** Decodes an image (any ImageIO format, TwelveMonkeys included). */
    public static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage picture(int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(alpha ? new Color(255, 0, 0, 128) : Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            return write(ImageIO.getImageWritersByFormatName(format).next(), new IIOImage(image, null, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(ImageWriter writer, IIOImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, image, null);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** TIFF (little endian): IFD0 with Make, Orientation and a GPS IFD with a position. */
    private static byte[] exif(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(164).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 3);
        entry(b, 0x010F, 2, 12, 50); // Make -> offset 50
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        entry(b, 0x8825, 4, 1, 62); // GPS IFD at 62
        b.putInt(0);
        b.put((CAMERA + "\0").getBytes(StandardCharsets.US_ASCII)); // 12 bytes at 50
        b.putShort((short) 4);
        b.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
        entry(b, 2, 5, 3, 116);
        b.putShort((short) 3).putShort((short) 2).putInt(2).put(new byte[] {'E', 0, 0, 0});
        entry(b, 4, 5, 3, 140);
        b.putInt(0);
        for (int v : new int[] {48, 51, 30, 2, 17, 24}) {
            b.putInt(v).putInt(1);
        }
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count).putInt(value);
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
        int length = payload.length + 2;
        out.write(0xFF);
        out.write(marker);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(payload, 0, payload.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
