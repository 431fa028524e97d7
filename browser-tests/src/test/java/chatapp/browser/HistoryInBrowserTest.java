package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A long history: the newest page first, older pages as the reader scrolls up, each message once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
class HistoryInBrowserTest {

    @RegisterExtension
    // 130 messages from one writer in a few seconds: more than a person may send (docs/security.md, "Limits")
    static final RunningServer server = new RunningServer("--chatapp.limits.messages-per-minute=100000",
            "--chatapp.limits.message-burst=1000");

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    static final int MESSAGES = 130; // three pages of 50


    @Test
    void scrollingUpLoadsOlderPagesUntilTheStart() {
        ChatPage reader = new ChatPage(chromium.browser(), server.uri("/"), 900, 700);
        Api writer = Api.therapist(server, "dr.lind", "Physiotherapy");
        Api karin = Api.parent(server, "karin", 1);
        String conversation = writer.conversationWith(writer.find("parent", "karin"));
        karin.accept(conversation); // consent: the therapist's notes need karin's yes
        for (int i = 1; i <= MESSAGES; i++) {
            writer.sayIn(conversation, "Note " + i + " of " + MESSAGES);
        }
        reader.open().logIn("karin@example.org", Api.PASSWORD);
        reader.assertSignedInAs("karin");
        assertThat(reader.conversation("dr.lind").locator(".badge")).hasText(java.util.regex.Pattern.compile("\\b" + MESSAGES + "\\b"));

        reader.conversation("dr.lind").click();
        assertThat(reader.bubble("Note " + MESSAGES + " of")).isVisible();
        assertThat(reader.bubbles()).hasCount(50);
        Locator status = reader.page.locator(".history-status");
        for (int i = 0; i < 10 && !status.textContent().contains("Start of the conversation"); i++) {
            reader.page.locator(".messages").evaluate("el => el.scrollTop = 0");
            reader.page.waitForTimeout(300);
        }
        assertThat(status).hasText("Start of the conversation");
        assertThat(reader.bubbles()).hasCount(MESSAGES);
        assertThat(reader.bubbles().first()).containsText("Note 1 of");
        List<String> texts = reader.page.locator(".messages .bubble .text").allTextContents();
        Set<String> distinct = new HashSet<>(texts);
        Assertions.assertThat(distinct).hasSize(MESSAGES);
        Assertions.assertThat(texts.get(MESSAGES - 1)).isEqualTo("Note " + MESSAGES + " of " + MESSAGES);

        // Scrolled up in the history, the reader is not dragged down by a new message, and it
        // is not reported read until it is on screen.
        reader.page.locator(".messages").evaluate("el => el.scrollTop = 0");
        assertThat(reader.bubble("Note 1 of")).isInViewport();
        writer.sayIn(conversation, "A new note while you read old ones");
        Locator jump = reader.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New messages"));
        assertThat(jump).isVisible();
        assertThat(reader.bubble("Note 1 of")).isInViewport();
        reader.page.waitForTimeout(1000);
        Assertions.assertThat(writer.newestIsRead(conversation)).as("read before it was seen").isFalse();
        jump.click();
        assertThat(reader.bubble("A new note while you read")).isInViewport();
        reader.page.waitForCondition(() -> writer.newestIsRead(conversation));
        Assertions.assertThat(reader.problems).isEmpty();
        reader.close();
    }
}
