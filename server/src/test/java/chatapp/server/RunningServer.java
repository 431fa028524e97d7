package chatapp.server;

import chatapp.server.cli.ChatApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real ChatApp server for a test class: started through the CLI's {@code serve} on a free
 * port with a fresh data directory (SQLite by default), reached over real HTTP. Register as a
 * static {@code @RegisterExtension} field; extra {@code --chatapp.*} arguments choose another
 * shape.
 */
public final class RunningServer implements BeforeAllCallback, AfterAllCallback {

    private final List<String> extraArgs;
    private ConfigurableApplicationContext context;
    private Path dataDir;
    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    public RunningServer(String... extraArgs) {
        this.extraArgs = List.of(extraArgs);
    }

    /** Uses {@code dir} as the data directory instead of a fresh one. */
    public RunningServer dataDir(Path dir) {
        this.dataDir = dir;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext ctx) throws IOException {
        if (dataDir == null) {
            dataDir = Files.createTempDirectory("chatapp-server-test").resolve("data");
        }
        start();
    }

    /** Starts the server (again) on the same data directory. */
    public void start() {
        List<String> args = new ArrayList<>(List.of("--chatapp.port=0", "--chatapp.data-dir=" + dataDir));
        args.addAll(extraArgs);
        context = ChatApp.serve(args.toArray(String[]::new));
        base = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    /** Stops the server gracefully. */
    public void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext ctx) {
        stop();
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    public Path dataDir() {
        return dataDir;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** GET {@code path} with optional bearer token; the body as text. */
    public HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    /** POST a JSON body to {@code path} with optional bearer token. */
    public HttpResponse<String> post(String path, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
