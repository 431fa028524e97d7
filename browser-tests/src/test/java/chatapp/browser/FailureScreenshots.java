package chatapp.browser;

import com.microsoft.playwright.Page;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** On a failed test, a screenshot of every open page into target/failures/, to see what the user saw. */
final class FailureScreenshots implements TestWatcher {

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        int n = 0;
        for (ChatPage chat : ChatPage.OPEN) {
            for (Page page : chat.context.pages()) {
                try {
                    page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "failures",
                            context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName()
                                    + "-" + (n++) + ".png")));
                } catch (RuntimeException closed) {
                    // the page went away with the failure
                }
            }
        }
    }
}
