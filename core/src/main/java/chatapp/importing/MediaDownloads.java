package chatapp.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches the prototype's photos and videos from their public URLs (an HTTP GET each) into a
 * file, so that {@link chatapp.media.MediaService} can check and clean them like any upload.
 * Bounded: a connect timeout, a timeout for the whole download, and a size limit (the largest
 * upload ChatApp accepts). Only {@code http} and {@code https} URLs; redirects are followed
 * (S3 answers some with one).
 */
public final class MediaDownloads implements AutoCloseable {

    private final HttpClient http;
    private final Duration total;
    private final long maxBytes;
    private final Path spoolDir;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param connect how long to wait for a connection
     * @param total how long one download may take, from request to last byte
     * @param maxBytes the largest file taken; a larger one is refused
     * @param spoolDir where files are received (created if missing)
     */
    public MediaDownloads(Duration connect, Duration total, long maxBytes, Path spoolDir) {
        this.http = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.total = total;
        this.maxBytes = maxBytes;
        this.spoolDir = spoolDir;
    }

    /** Why a URL gave no file, in words for the report (never the URL itself: it may name the file). */
    public static final class Failed extends Exception {
        Failed(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Downloads {@code url} into a new file under the spool folder; the caller deletes it.
     *
     * @throws Failed for a URL that is not http(s), an answer other than 200, a file over the
     *     size limit, a timeout or a network error
     */
    public Path fetch(String url) throws Failed {
        URI uri;
        try {
            uri = url == null ? null : new URI(url.strip());
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().toLowerCase(Locale.ROOT).equals("http") || uri.getScheme().toLowerCase(Locale.ROOT).equals("https"))) {
            throw new Failed("the media is not an http(s) URL");
        }
        Path file;
        try {
            Files.createDirectories(spoolDir);
            file = Files.createTempFile(spoolDir, "import-", ".part");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a file in " + spoolDir, e);
        }
        URI target = uri;
        Future<Void> download = readers.submit(() -> {
            receive(target, file);
            return null;
        });
        try {
            download.get(total.toMillis(), TimeUnit.MILLISECONDS);
            return file;
        } catch (TimeoutException e) {
            download.cancel(true);
            delete(file);
            throw new Failed("the media URL did not deliver within " + total.toSeconds() + " s");
        } catch (ExecutionException e) {
            delete(file);
            if (e.getCause() instanceof Failed f) {
                throw f;
            }
            if (e.getCause() instanceof HttpTimeoutException) {
                throw new Failed("the media URL did not answer within " + total.toSeconds() + " s");
            }
            throw new Failed("the media URL could not be read (" + e.getCause().getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            download.cancel(true);
            delete(file);
            throw new Failed("interrupted");
        }
    }

    private void receive(URI uri, Path file) throws Failed, IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(total).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new Failed("the media URL answered HTTP " + response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw new Failed("the media is larger than " + maxBytes + " bytes");
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                long received = 0;
                for (int n; (n = body.read(buffer)) > 0; ) {
                    received += n;
                    if (received > maxBytes) {
                        throw new Failed("the media is larger than " + maxBytes + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
                if (received == 0) {
                    throw new Failed("the media URL answered with an empty file");
                }
            }
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover in the spool folder; MediaService clears old ones at start
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
