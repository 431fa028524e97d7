package chatapp.importing;

import chatapp.core.PublicAddresses;
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
 * upload ChatApp accepts). Only {@code http} and {@code https} URLs whose host resolves to
 * public addresses only ({@link PublicAddresses}: no loopback, private, link-local or other
 * special-purpose address, docs/security.md "Push endpoints"), unless the operator allows
 * private hosts ({@code --allow-private-media-hosts}); up to {@value #MAX_REDIRECTS} redirects
 * are followed (S3 answers some with one), each hop checked the same way.
 *
 * <p>The check and the JDK client's connection resolve the host separately, so a DNS answer
 * that changes in between is not caught (unlike a push, decision 53): the URLs come from the
 * operator's own prototype data, for a one-off command the operator runs.
 */
public final class MediaDownloads implements AutoCloseable {

    /** Redirects followed for one file. */
    static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final boolean allowPrivateHosts;
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
        this(connect, total, maxBytes, spoolDir, false);
    }

    /**
     * As above.
     *
     * @param allowPrivateHosts fetch also from hosts on loopback, private or other special-purpose
     *     addresses (the operator's {@code --allow-private-media-hosts}: a prototype whose media
     *     sit on an internal server)
     */
    public MediaDownloads(Duration connect, Duration total, long maxBytes, Path spoolDir, boolean allowPrivateHosts) {
        this.http = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
        this.allowPrivateHosts = allowPrivateHosts;
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
        check(uri);
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

    /** An http(s) URL whose host may be connected to; the reason in words otherwise (never the URL). */
    private void check(URI uri) throws Failed {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null || !(uri.getScheme().toLowerCase(Locale.ROOT)
                .equals("http") || uri.getScheme().toLowerCase(Locale.ROOT).equals("https"))) {
            throw new Failed("the media is not an http(s) URL");
        }
        if (!allowPrivateHosts && PublicAddresses.of(uri.getHost(), PublicAddresses.Resolver.SYSTEM).isEmpty()) {
            throw new Failed("the media URL's host does not resolve, or resolves to a loopback, private or other"
                    + " special-purpose address (--allow-private-media-hosts fetches from such hosts)");
        }
    }

    private void receive(URI first, Path file) throws Failed, IOException, InterruptedException {
        URI uri = first;
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(total).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        for (int redirects = 0; isRedirect(response.statusCode()); redirects++) {
            response.body().close();
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null || redirects == MAX_REDIRECTS) {
                throw new Failed(location == null ? "the media URL redirected nowhere"
                        : "the media URL redirected more than " + MAX_REDIRECTS + " times");
            }
            try {
                uri = uri.resolve(new URI(location));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new Failed("the media URL redirected to something that is not a URL");
            }
            check(uri); // every hop: a public host may redirect inward
            response = http.send(HttpRequest.newBuilder(uri).timeout(total).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        }
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

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
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
