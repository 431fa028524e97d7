package chatapp.browser;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Real photos for upload tests: a JPEG drawn here, so no binary test data is checked in. */
final class Images {

    private Images() {
    }

    /** A width x height JPEG of a sunny landscape (sky gradient, sun, hills), in a temp file. */
    static Path landscape(int width, int height) {
        return landscape(width, height, false);
    }

    /**
     * The same with film grain: random pixels that JPEG cannot compress, so the file is large
     * (about 1 MB for 1600 x 1200), for watching an upload make progress.
     */
    static Path landscape(int width, int height, boolean grain) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x7cc4f2), 0, height, new Color(0xe8f6ff)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0xffc83d));
        g.fillOval(width * 2 / 3, height / 8, width / 6, width / 6);
        g.setColor(new Color(0x3f9a4a));
        g.fillOval(-width / 4, height * 3 / 5, width, height);
        g.setColor(new Color(0x2f7d3a));
        g.fillOval(width / 3, height * 2 / 3, width, height);
        g.dispose();
        if (grain) {
            java.util.Random random = new java.util.Random(42);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int noise = random.nextInt(64) - 32;
                    int rgb = image.getRGB(x, y);
                    int r = Math.clamp(((rgb >> 16) & 0xff) + noise, 0, 255);
                    int gr = Math.clamp(((rgb >> 8) & 0xff) + noise, 0, 255);
                    int b = Math.clamp((rgb & 0xff) + noise, 0, 255);
                    image.setRGB(x, y, (r << 16) | (gr << 8) | b);
                }
            }
        }
        try {
            Path file = Files.createTempFile("landscape", ".jpg");
            ImageIO.write(image, "jpg", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
