package chatapp.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Debian's Chromium driven by Playwright (docs/architecture.md, "Tests"), for a test class: register as a static
 * {@code @RegisterExtension} field. Never a downloaded browser: a machine without
 * {@code /usr/bin/chromium} fails the tests with a message saying how to install it.
 *
 * <p>One browser serves every test class of the run (started by the first, closed when the run ends): each
 * {@link ChatPage} is a browser context of its own (cookies, storage, service workers, permissions), and a class's
 * contexts are closed when the class ends, so classes share no state; starting Playwright's driver and Chromium once
 * instead of once per class saves seconds per class.
 */
final class Chromium implements BeforeAllCallback, AfterAllCallback {

    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private Browser browser;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("The browser tests need Debian's Chromium at " + EXECUTABLE
                    + ", which is missing: run `apt-get update && apt-get install -y chromium` (.ci/run does).");
        }
        browser = context.getRoot().getStore(ExtensionContext.Namespace.create(Chromium.class))
                .computeIfAbsent(Launched.class, k -> Launched.launch(), Launched.class).browser();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (ChatPage page : ChatPage.OPEN) {
            page.close(); // what the class left open ends with it
        }
        ChatPage.OPEN.clear();
    }

    Browser browser() {
        return browser;
    }

    /** Playwright's driver and the browser it launched; closed by JUnit when the run ends. */
    private record Launched(Playwright playwright, Browser browser) implements AutoCloseable {

        static Launched launch() {
            Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(EXECUTABLE)
                    .setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--no-first-run")));
            return new Launched(playwright, browser);
        }

        @Override
        public void close() {
            playwright.close(); // closes the browser too
        }
    }
}
