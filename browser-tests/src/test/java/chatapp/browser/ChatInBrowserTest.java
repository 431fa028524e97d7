package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A parent (desktop-sized window) and a therapist (phone-sized window), each in their own
 * browser context, use the web client against a real server: sign up, find each other, talk in
 * real time, see ticks turn read, send photos, lose the connection and catch up, and see an
 * XSS attempt as plain text. The steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatInBrowserTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    /**
     * Where the screenshots of the README go: target/screenshots, so that a test run leaves the
     * checkout as it was; {@code -Dchatapp.screenshots=$PWD/docs} refreshes the README's
     * (docs/web-client.md, "Screenshots").
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("chatapp.screenshots", "target/screenshots"));

    ChatPage parent;
    ChatPage therapist;

    @BeforeAll
    void people() {
        parent = new ChatPage(chromium.browser(), server.uri("/"), 1200, 780);
        therapist = new ChatPage(chromium.browser(), server.uri("/"), 390, 780);
    }

    @AfterEach
    void noPageErrors() {
        Assertions.assertThat(parent.problems).as("errors in the parent's page").isEmpty();
        Assertions.assertThat(therapist.problems).as("errors in the therapist's page").isEmpty();
    }

    @Test
    @Order(1)
    void signUpAndFindEachOther() {
        parent.signUp("parent", "maria", "maria@example.org", "correct horse battery", "2");
        therapist.signUp("therapist", "dr.olsen", "olsen@example.org", "staple battery horse", "Speech therapy");

        parent.startChatWith("dr", "dr.olsen");
        assertThat(parent.page.locator(".presence")).containsText("Speech therapy");
        parent.send("Hello Dr. Olsen, this is Maria, Leo's mother.");
        assertThat(parent.bubble("this is Maria")).hasAttribute("data-state", "sent");
        parent.assertAccessible("the parent's chat (desktop)");

        // The therapist finds the parent in the directory too (search by name prefix).
        therapist.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Find a parent")).click();
        therapist.page.getByRole(AriaRole.SEARCHBOX).fill("mar");
        assertThat(therapist.page.locator(".people .person")).hasCount(1);
        assertThat(therapist.page.locator(".people .person")).containsText("maria");
        assertThat(therapist.page.locator(".people .person")).containsText("2 children");
        therapist.assertAccessible("the directory (phone)");
        therapist.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to chats")).click();
    }

    @Test
    @Order(2)
    void textBothWaysInRealTimeAndTicksTurnRead() {
        // Consent: the parent's first message arrives live as a request, apart from the inbox,
        // and the parent sees that it waits.
        Locator request = therapist.request("maria");
        assertThat(request).containsText("Hello Dr. Olsen");
        Assertions.assertThat(therapist.conversation("maria").count()).isZero();
        assertThat(parent.page.locator(".consent")).containsText("Waiting for dr.olsen to accept");
        therapist.assertAccessible("a request (phone)");

        request.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Accept maria")).click();
        assertThat(therapist.chatTitle()).hasText("maria");
        assertThat(therapist.request("maria")).hasCount(0);
        assertThat(parent.page.locator(".consent")).isHidden();
        assertThat(therapist.bubble("this is Maria")).isVisible();
        // Seen on screen -> read receipt -> the parent's tick turns read, and the badge goes.
        assertThat(parent.bubble("this is Maria")).hasAttribute("data-state", "read");
        therapist.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to chats")).click();
        assertThat(therapist.conversation("maria").locator(".badge")).hasCount(0);
        therapist.conversation("maria").click();

        // Typing shows on the other side; the reply arrives without a reload.
        therapist.composer().pressSequentially("Hi Maria");
        assertThat(parent.page.locator(".presence")).hasText("typing…");
        therapist.composer().press("Enter");
        assertThat(parent.bubble("Hi Maria")).isVisible();
        assertThat(parent.bubble("Hi Maria")).hasClass(java.util.regex.Pattern.compile("\\btheirs\\b"));
        assertThat(therapist.bubble("Hi Maria")).hasAttribute("data-state", "read");

        parent.send("Can we move Thursday's session to 4 pm?");
        assertThat(therapist.bubble("Thursday's session")).isVisible();
        assertThat(parent.bubble("Thursday's session")).hasAttribute("data-state", "read");
        assertThat(parent.conversation("dr.olsen")).containsText("You: Can we move Thursday");
        Assertions.assertThat(parent.bubbles().count()).isEqualTo(3);
        Assertions.assertThat(therapist.bubbles().count()).isEqualTo(3);
    }

    @Test
    @Order(3)
    void photosByPickerAndByDragAndDrop() throws Exception {
        // A large photo over a slow uplink (Chromium's network throttling): the bubble shows
        // the photo at once and the upload's progress while it goes.
        Path photo = Images.landscape(1600, 1200, true);
        Assertions.assertThat(Files.size(photo)).isGreaterThan(500_000);
        CDPSession network = parent.context.newCDPSession(parent.page);
        network.send("Network.enable");
        network.send("Network.emulateNetworkConditions", throughput(256 * 1024));
        parent.page.locator("#attach-file").setInputFiles(photo);
        Locator uploading = parent.page.locator(".bubble.mine.uploading");
        assertThat(uploading.locator("progress")).isVisible();
        assertThat(uploading.locator("img")).hasAttribute("src", java.util.regex.Pattern.compile("^blob:"));
        assertThat(uploading.locator(".percent")).hasText(java.util.regex.Pattern.compile("^([1-9]|[1-9][0-9])%$"));
        network.send("Network.emulateNetworkConditions", throughput(-1));
        Locator mine = parent.page.locator(".bubble.mine button.media.image").last();
        assertThat(mine).isVisible();
        Locator theirs = therapist.page.locator(".bubble.theirs button.media.image").last();
        assertThat(theirs.locator("img")).hasAttribute("src", java.util.regex.Pattern.compile("^blob:"));
        assertThat(parent.page.locator(".bubble.mine").last()).hasAttribute("data-state", "read");
        waitForImage(theirs.locator("img"));

        // Click opens the full photo in a dialog, Escape closes it.
        theirs.click();
        Locator full = therapist.page.locator("dialog.viewer img.full");
        assertThat(full).isVisible();
        waitForImage(full);
        therapist.page.keyboard().press("Escape");
        assertThat(therapist.page.locator("dialog.viewer")).not().isVisible();

        // The therapist drops a photo onto the chat.
        byte[] bytes = Files.readAllBytes(Images.landscape(640, 900));
        JSHandle transfer = therapist.page.evaluateHandle("([b64]) => {"
                + " const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));"
                + " const dt = new DataTransfer();"
                + " dt.items.add(new File([bytes], 'garden.jpg', { type: 'image/jpeg' }));"
                + " return dt; }", List.of(Base64.getEncoder().encodeToString(bytes)));
        therapist.page.dispatchEvent("section.chat", "dragenter", Map.of("dataTransfer", transfer));
        assertThat(therapist.page.locator(".drop-overlay")).isVisible();
        therapist.page.dispatchEvent("section.chat", "drop", Map.of("dataTransfer", transfer));
        assertThat(therapist.page.locator(".drop-overlay")).isHidden();
        assertThat(parent.page.locator(".bubble.theirs button.media.image")).hasCount(1);
        assertThat(therapist.page.locator(".bubble.mine").last()).hasAttribute("data-state", "read");
        waitForImage(parent.page.locator(".bubble.theirs button.media.image img"));
        therapist.assertAccessible("a chat with photos (phone)");
        assertThat(parent.conversation("dr.olsen")).containsText("Photo");
    }

    @Test
    @Order(4)
    void aVideoIsSentAndPlaysInTheViewer() {
        // A real WebM clip, recorded in the therapist's browser from a canvas, dropped on the chat.
        JSHandle transfer = therapist.page.evaluateHandle("async () => {"
                + " const canvas = document.createElement('canvas'); canvas.width = 320; canvas.height = 240;"
                + " const g = canvas.getContext('2d');"
                + " const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });"
                + " const chunks = []; recorder.ondataavailable = e => chunks.push(e.data);"
                + " const stopped = new Promise(r => { recorder.onstop = r; });"
                + " recorder.start(100);"
                + " for (let i = 0; i < 30; i++) { g.fillStyle = `hsl(${i * 12}, 70%, 50%)`; g.fillRect(0, 0, 320, 240);"
                + "   await new Promise(r => setTimeout(r, 33)); }"
                + " recorder.stop(); await stopped;"
                + " const dt = new DataTransfer();"
                + " dt.items.add(new File(chunks, 'clip.webm', { type: 'video/webm' }));"
                + " return dt; }");
        therapist.page.dispatchEvent("section.chat", "drop", Map.of("dataTransfer", transfer));
        assertThat(therapist.page.locator(".bubble.mine").last()).hasAttribute("data-state", "read");
        Locator video = parent.page.locator(".bubble.theirs button.media.video");
        assertThat(video).hasCount(1);
        assertThat(parent.conversation("dr.olsen")).containsText("Video");

        video.click();
        Locator player = parent.page.locator("dialog.viewer video.full");
        assertThat(player).isVisible();
        parent.page.waitForCondition(() -> ((Number) player.evaluate("v => v.readyState")).intValue() >= 1);
        parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();
        assertThat(parent.page.locator("dialog.viewer")).not().isVisible();
    }

    @Test
    @Order(5)
    void theSideThatLostItsConnectionCatchesUpAndItsSendsAreRetriedOnce() {
        therapist.context.setOffline(true);
        assertThat(therapist.banner()).isVisible();
        assertThat(therapist.banner()).containsText("Reconnecting");

        // Sent while the therapist is away: not delivered live.
        parent.send("Are you there? (1)");
        parent.send("Are you there? (2)");
        // The therapist writes while offline: the bubble waits, unsent.
        therapist.send("Sorry, my train is in a tunnel");
        assertThat(therapist.bubble("train is in a tunnel")).hasAttribute("data-state", "pending");
        therapist.page.waitForTimeout(1500);
        assertThat(therapist.bubble("Are you there?")).hasCount(0);
        assertThat(parent.bubble("train is in a tunnel")).hasCount(0);

        therapist.context.setOffline(false);
        assertThat(therapist.banner()).isHidden();
        assertThat(parent.page.locator(".presence")).hasText("online"); // the server's presence event
        assertThat(therapist.bubble("Are you there? (1)")).isVisible();
        assertThat(therapist.bubble("Are you there? (2)")).isVisible();
        assertThat(therapist.bubble("train is in a tunnel")).hasAttribute("data-state", java.util.regex.Pattern.compile("sent|read"));
        assertThat(parent.bubble("train is in a tunnel")).hasCount(1);
        assertThat(parent.bubble("Are you there? (2)")).hasAttribute("data-state", "read");

        // A reload shows the same chat (the address names it) and history: nothing lost, nothing twice.
        therapist.page.reload();
        assertThat(therapist.chatTitle()).hasText("maria");
        assertThat(therapist.bubble("train is in a tunnel")).hasCount(1);
        assertThat(therapist.bubble("Are you there? (1)")).hasCount(1);
        assertThat(therapist.bubbles()).hasCount(parent.bubbles().count());
    }

    @Test
    @Order(6)
    void anXssAttemptIsShownAsText() {
        String attack = "<img src=x onerror=\"document.title='pwned'\"><script>window.pwned=1</script><b>bold?</b>";
        parent.send(attack);
        Locator received = therapist.bubble("<img src=x onerror=");
        assertThat(received).isVisible();
        assertThat(received.locator(".text")).hasText(attack);
        assertThat(received.locator("img, script, b")).hasCount(0);
        assertThat(therapist.conversation("maria")).containsText("<img src=x");
        Assertions.assertThat(therapist.page.evaluate("() => window.pwned === undefined && document.title !== 'pwned'")).isEqualTo(true);
        Assertions.assertThat(parent.page.evaluate("() => window.pwned === undefined && document.title !== 'pwned'")).isEqualTo(true);
    }

    @Test
    @Order(7)
    void screenshotsForTheReadme() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        parent.send("Thank you! See you on Thursday at 4.");
        assertThat(therapist.bubble("See you on Thursday")).isVisible();
        // The therapist replies to it with a quote (the menu of the parent's message, Reply).
        therapist.bubble("See you on Thursday").hover();
        therapist.bubble("See you on Thursday").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Actions for this message")).click();
        therapist.page.getByRole(AriaRole.MENUITEM, new Page.GetByRoleOptions().setName("Reply")).click();
        therapist.send("Perfect, see you then.");
        assertThat(parent.bubble("see you then")).hasAttribute("data-state", "received");
        assertThat(parent.bubble("see you then")).containsText("See you on Thursday");
        if (parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Not now")).isVisible()) {
            parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Not now")).click();
        }
        // the newest messages (a reply with its quote) under the photos, as the parent sees them
        parent.page.locator(".messages").evaluate("s => { s.scrollTop = s.scrollHeight; }");
        parent.page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("web-chat.png")));

        // Two more parents write to the therapist through the API: their requests arrive live.
        therapist.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to chats")).click();
        Api jonas = Api.parent(server, "jonas", 1);
        Api amira = Api.parent(server, "amira", 3);
        jonas.displayName("Jonas Berg");
        amira.displayName("Amira Haddad");
        String olsen = jonas.find("therapist", "dr.olsen");
        jonas.say(olsen, "Good morning! Is there a waiting list for new patients?");
        amira.say(olsen, "Here are the exercises we did at home this week.");
        assertThat(therapist.page.locator(".requests .request").first()).containsText("Amira Haddad");
        assertThat(therapist.request("Jonas Berg")).containsText("waiting list");
        assertThat(therapist.page.locator(".conversations .conversation").first()).containsText("maria");
        therapist.page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("web-conversations.png")));
        Assertions.assertThat(SCREENSHOTS.resolve("web-chat.png")).isNotEmptyFile();
        Assertions.assertThat(SCREENSHOTS.resolve("web-conversations.png")).isNotEmptyFile();
    }

    @Test
    @Order(8)
    void blockAndUnblockFromTheHeaderAndDeclineARequest() {
        // The therapist declines one request; it stays among the requests, marked.
        Locator jonas = therapist.request("jonas");
        jonas.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Decline jonas")).click();
        assertThat(therapist.request("jonas")).containsText("You declined");
        assertThat(therapist.request("jonas").getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Decline jonas"))).hasCount(0);

        // The parent blocks the therapist from the conversation's header; both see it at once.
        therapist.conversation("maria").click();
        assertThat(therapist.chatTitle()).hasText("maria");
        parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Block dr.olsen")).click();
        assertThat(parent.page.locator(".consent")).containsText("You blocked dr.olsen");
        assertThat(therapist.page.locator(".consent")).containsText("maria has blocked this conversation");
        assertThat(therapist.page.locator(".chat-head .block")).isHidden();
        parent.assertAccessible("a blocked conversation (desktop)");
        therapist.send("Is everything all right?");
        assertThat(therapist.bubble("everything all right")).containsText("has blocked");

        parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Unblock dr.olsen")).click();
        assertThat(parent.page.locator(".consent")).isHidden();
        assertThat(therapist.page.locator(".consent")).isHidden();
        therapist.send("Glad we are in touch again.");
        assertThat(parent.bubble("in touch again")).isVisible();
    }

    /** Chromium's Network.emulateNetworkConditions: upload bytes per second, -1 for no limit. */
    private static com.google.gson.JsonObject throughput(int uploadBytesPerSecond) {
        com.google.gson.JsonObject conditions = new com.google.gson.JsonObject();
        conditions.addProperty("offline", false);
        conditions.addProperty("latency", 0);
        conditions.addProperty("downloadThroughput", -1);
        conditions.addProperty("uploadThroughput", uploadBytesPerSecond);
        return conditions;
    }

    private static void waitForImage(Locator img) {
        img.page().waitForCondition(() -> Boolean.TRUE.equals(img.evaluate("i => i.complete && i.naturalWidth > 0")));
    }
}
