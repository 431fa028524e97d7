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
 */
final class Chromium implements BeforeAllCallback, AfterAllCallback {

    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private Playwright playwright;
    private Browser browser;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("The browser tests need Debian's Chromium at " + EXECUTABLE
                    + ", which is missing: run `apt-get update && apt-get install -y chromium` (.ci/run does).");
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run")));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ChatPage.OPEN.clear();
        if (playwright != null) {
            playwright.close(); // closes the browser too
        }
    }

    Browser browser() {
        return browser;
    }
}
