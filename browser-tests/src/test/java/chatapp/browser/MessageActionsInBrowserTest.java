package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message's life in the page (issue 21; docs/web-client.md, "Message actions"): the ticks go
 * from sent to delivered to read (drawn as SVG), an edit shows "edited" for the peer at once, a
 * deletion shows "Message deleted" for the peer at once, and a reply's quote scrolls to a message
 * that was not loaded yet. Keyboard only where people would use it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
class MessageActionsInBrowserTest {

    @RegisterExtension
    // a long history from one writer in a few seconds: more than a person may send (docs/security.md, "Limits")
    static final RunningServer server = new RunningServer("--chatapp.limits.messages-per-minute=100000",
            "--chatapp.limits.message-burst=1000");

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An access token of {@code username}'s (registered by {@link Api}, password {@link Api#PASSWORD}). */
    private static String token(String username) {
        HttpResponse<String> r = server.post("/api/v1/auth/login", JSON.createObjectNode()
                .put("email", username + "@example.org").put("password", Api.PASSWORD).toString(), null);
        Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("accessToken").asString();
    }

    private static JsonNode send(String token, String conversationId, String text, String replyTo) {
        ObjectNode body = JSON.createObjectNode().put("clientMessageId", UUID.randomUUID().toString());
        body.putObject("content").put("contentType", "text").put("value", text);
        if (replyTo != null) {
            body.put("replyTo", replyTo);
        }
        HttpResponse<String> r = server.post("/api/v1/conversations/" + conversationId + "/messages", body.toString(), token);
        Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    /** The bubble whose own text (not a quote of it) contains {@code text}. */
    private static Locator own(ChatPage page, String text) {
        return page.bubbles().filter(new Locator.FilterOptions().setHas(
                page.page.locator(".body .text", new Page.LocatorOptions().setHasText(text))));
    }

    private static Locator tick(Locator bubble) {
        return bubble.locator(".ticks");
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    @Test
    void ticksGoFromSentToDeliveredToReadAndEditsAndDeletionsReachThePeerAtOnce() {
        Api therapist = Api.therapist(server, "dr.vega", "Speech therapy");
        Api parent = Api.parent(server, "maria", 1);
        String conversation = therapist.conversationWith(therapist.find("parent", "maria"));
        parent.accept(conversation);

        ChatPage vega = new ChatPage(chromium.browser(), server.uri("/"), 1000, 760);
        vega.open().logIn("dr.vega@example.org", Api.PASSWORD);
        vega.assertSignedInAs("dr.vega");
        vega.conversation("maria").click();
        vega.send("See you Thursday at 4");
        Locator first = vega.bubble("See you Thursday at 4");
        assertThat(first).hasAttribute("data-state", "sent");
        // Drawn, not a font glyph.
        Assertions.assertThat(tick(first).locator("svg path").count()).isEqualTo(1);
        assertThat(tick(first)).hasAttribute("title", "Sent");

        // Maria signs in: her inbox shows the message, so it reached a device of hers.
        ChatPage maria = new ChatPage(chromium.browser(), server.uri("/"), 1000, 760);
        maria.open().logIn("maria@example.org", Api.PASSWORD);
        maria.assertSignedInAs("maria");
        assertThat(first).hasAttribute("data-state", "delivered");
        Assertions.assertThat(tick(first).locator("svg path").count()).isEqualTo(2);
        // Live over her socket too, while she looks at her inbox.
        vega.send("Or Friday?");
        Locator second = vega.bubble("Or Friday?");
        assertThat(second).hasAttribute("data-state", "delivered");
        // She opens the conversation: both are read.
        maria.conversation("dr.vega").click();
        assertThat(maria.bubble("Or Friday?")).isVisible();
        assertThat(first).hasAttribute("data-state", "read");
        assertThat(second).hasAttribute("data-state", "read");
        assertThat(tick(second)).hasAttribute("title", java.util.regex.Pattern.compile("^Read "));

        // Edit by keyboard: the actions button, the menu, Edit, the composer.
        Locator toggle = first.locator(".actions-toggle");
        toggle.focus();
        vega.page.keyboard().press("Enter");
        assertThat(vega.page.getByRole(AriaRole.MENUITEM, named("Reply"))).isFocused();
        vega.page.keyboard().press("ArrowDown");
        assertThat(vega.page.getByRole(AriaRole.MENUITEM, named("Edit"))).isFocused();
        vega.page.keyboard().press("Enter");
        assertThat(vega.composer()).hasValue("See you Thursday at 4");
        assertThat(vega.page.locator(".composer-context")).containsText("Editing your message");
        vega.composer().fill("See you Thursday at 5");
        vega.composer().press("Enter");
        Locator edited = vega.bubble("See you Thursday at 5");
        assertThat(edited.locator(".edited")).hasText("edited");
        Locator hers = maria.bubble("See you Thursday at 5");
        assertThat(hers.locator(".edited")).hasText("edited");
        assertThat(maria.bubble("Thursday at 4")).hasCount(0);
        assertThat(vega.composer()).hasValue("");

        // Delete for everyone, by keyboard too: she sees the tombstone at once, and her inbox keeps no text.
        edited.locator(".actions-toggle").focus();
        vega.page.keyboard().press("Enter");
        vega.page.keyboard().press("End"); // (no such key binding: focus stays)
        vega.page.getByRole(AriaRole.MENUITEM, named("Delete for everyone")).focus();
        vega.page.keyboard().press("Enter");
        vega.page.getByRole(AriaRole.MENUITEM, named("Delete")).press("Enter");
        Locator deleted = maria.bubbles().first();
        assertThat(deleted.locator(".text.deleted")).hasText("Message deleted");
        assertThat(vega.bubbles().first().locator(".text.deleted")).hasText("Message deleted");
        assertThat(maria.page.locator(".messages")).not().containsText("Thursday at 5");
        vega.send("Bring the exercise sheet");
        assertThat(maria.bubble("Bring the exercise sheet")).isVisible();
        Assertions.assertThat(maria.problems).isEmpty();
        Assertions.assertThat(vega.problems).isEmpty();
        maria.close();
        vega.close();
    }

    @Test
    void aReplysQuoteScrollsToAnOldMessageThatWasNotLoadedYet() {
        Api therapist = Api.therapist(server, "dr.holm", "Occupational therapy");
        Api parent = Api.parent(server, "jonas", 2);
        String conversation = therapist.conversationWith(therapist.find("parent", "jonas"));
        parent.accept(conversation);
        String holm = token("dr.holm");
        String jonas = token("jonas");
        String firstId = send(holm, conversation, "The very first note: exercises twice a day", null)
                .get("messageId").asString();
        for (int i = 1; i <= 120; i++) {
            send(holm, conversation, "Note " + i, null);
        }
        send(jonas, conversation, "About that first note", firstId);

        ChatPage page = new ChatPage(chromium.browser(), server.uri("/"), 1000, 760);
        page.open().logIn("jonas@example.org", Api.PASSWORD);
        page.assertSignedInAs("jonas");
        page.conversation("dr.holm").click();
        Locator reply = page.bubble("About that first note");
        Locator quote = reply.locator(".quote");
        assertThat(quote).containsText("dr.holm");
        assertThat(quote).containsText("The very first note: exercises twice a day");
        Assertions.assertThat(own(page, "The very first note").count()).as("not loaded yet").isZero();

        quote.focus();
        page.page.keyboard().press("Enter");
        Locator original = own(page, "The very first note");
        assertThat(original).isInViewport();
        assertThat(original).isFocused();
        assertThat(own(page, "Note 60")).hasCount(1); // the pages between came once each

        // Replying from the page: the bar above the composer, then the quote in the bubble.
        original.locator(".actions-toggle").click();
        page.page.getByRole(AriaRole.MENUITEM, named("Reply")).click();
        assertThat(page.page.locator(".composer-context")).containsText("Replying to dr.holm");
        page.send("Twice a day it is");
        Locator mine = page.bubble("Twice a day it is");
        assertThat(mine.locator(".quote")).containsText("The very first note");
        assertThat(mine).hasAttribute("data-state", java.util.regex.Pattern.compile("sent|delivered|read"));
        assertThat(page.page.locator(".composer-context")).isHidden();
        Assertions.assertThat(page.problems).isEmpty();
        page.close();
    }
}
