package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Search in the web client (docs/web-client.md, "Search"), by keyboard: across conversations from
 * the sidebar and within one from its header; matches in {@code <mark>}, user text never markup;
 * a result opens the conversation at its message, loading older history; "More results" pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
class SearchInBrowserTest {

    @RegisterExtension
    // 80 messages from one writer in a few seconds: more than a person may send (docs/security.md, "Limits")
    static final RunningServer server = new RunningServer("--chatapp.limits.messages-per-minute=100000",
            "--chatapp.limits.message-burst=1000");

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @Test
    void findsOldMessagesAndOpensTheConversationThere() {
        ChatPage reader = new ChatPage(chromium.browser(), server.uri("/"), 1000, 760);
        Api therapist = Api.therapist(server, "dr.sofia", "Speech");
        Api other = Api.therapist(server, "dr.other", "Occupational");
        Api mia = Api.parent(server, "mia", 1);
        String conversation = therapist.conversationWith(therapist.find("parent", "mia"));
        mia.accept(conversation);
        String elsewhere = other.conversationWith(other.find("parent", "mia"));
        mia.accept(elsewhere);
        therapist.sayIn(conversation, "We meet at the Café Lumière on Thursday");
        for (int i = 1; i <= 70; i++) {
            therapist.sayIn(conversation, "Exercise note " + i + "."); // the stop: "note 3." is no prefix of "note 31."
        }
        other.sayIn(elsewhere, "<img src=x onerror=\"document.title='pwned'\"> cafe menu");

        reader.open().logIn("mia@example.org", Api.PASSWORD);
        reader.assertSignedInAs("mia");
        Locator box = reader.page.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search messages"));
        box.focus();
        reader.page.keyboard().type("CAFE");
        reader.page.keyboard().press("Enter");

        Locator results = reader.page.locator(".search-box .search-result");
        assertThat(results).hasCount(2);
        // Newest first; the peer's user text is text, never markup.
        assertThat(results.nth(0)).containsText("dr.other");
        assertThat(results.nth(0).locator(".search-result-text")).hasText("<img src=x onerror=\"document.title='pwned'\"> cafe menu");
        Assertions.assertThat(reader.page.locator(".search-results img").count()).isZero();
        assertThat(results.nth(0).locator("mark")).hasText("cafe");
        assertThat(results.nth(1)).containsText("dr.sofia");
        assertThat(results.nth(1).locator("mark")).hasText("Café");
        assertThat(reader.page.locator(".search-box .search-status")).hasText("2 messages found.");
        reader.assertAccessible("search results");

        // By keyboard: Tab to the second result, Enter opens the conversation at that old message
        // (beyond the newest page of 50).
        reader.page.keyboard().press("Tab");
        reader.page.keyboard().press("Tab");
        Assertions.assertThat((String) reader.page.evaluate("document.activeElement.textContent")).contains("Lumière");
        reader.page.keyboard().press("Enter");
        assertThat(reader.chatTitle()).hasText("dr.sofia");
        Locator found = reader.bubble("Café Lumière");
        assertThat(found).isInViewport();
        assertThat(found).hasClass(Pattern.compile("search-found"));
        Assertions.assertThat(reader.page.title()).doesNotContain("pwned");

        // Escape leaves the search: the conversation list is back.
        box.focus();
        reader.page.keyboard().press("Escape");
        assertThat(reader.conversation("dr.other")).isVisible();

        // Within the conversation, from its header, with "More results".
        Locator toggle = reader.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search").setExact(true));
        toggle.focus();
        reader.page.keyboard().press("Enter");
        Locator here = reader.page.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search in this conversation"));
        assertThat(here).isFocused();
        reader.page.keyboard().type("exercise");
        reader.page.keyboard().press("Enter");
        Locator matches = reader.page.locator(".chat-search .search-result");
        assertThat(matches).hasCount(20);
        assertThat(matches.first()).containsText("Exercise note 70.");
        assertThat(matches.first().locator("mark")).hasText("Exercise");
        reader.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("More results")).click();
        assertThat(matches).hasCount(40);
        assertThat(matches.nth(39)).containsText("Exercise note 31.");
        matches.nth(39).click();
        assertThat(reader.bubble("Exercise note 31.")).isInViewport();
        // Escape clears the words, Escape again closes the bar and gives focus back to its button.
        here.focus();
        reader.page.keyboard().press("Escape");
        assertThat(here).hasValue("");
        assertThat(here).isVisible();
        reader.page.keyboard().press("Escape");
        assertThat(here).isHidden();
        assertThat(toggle).isFocused();
        Assertions.assertThat(reader.problems).isEmpty();
        reader.close();
    }
}
