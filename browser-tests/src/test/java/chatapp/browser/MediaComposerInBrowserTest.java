package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.FilePayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's composer and media bubbles in Chromium: an image pasted from the clipboard and one
 * dropped on the conversation, two files picked at once with a caption on the last, an upload's
 * progress and its Cancel (nothing is sent), and a video bubble with its poster frame, a play
 * button and its duration; no request for a variant that does not exist. Steps build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MediaComposerInBrowserTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TempDir
    static Path tmp;

    ChatPage parent;
    ChatPage therapist;
    /** Media requests that were answered 404: a variant asked for that does not exist. */
    final List<String> missing = new CopyOnWriteArrayList<>();

    @BeforeAll
    void people() {
        Api olsen = Api.therapist(server, "dr.berg", "Occupational therapy");
        Api maria = Api.parent(server, "anna", 1);
        String conversation = maria.conversationWith(maria.find("therapist", "dr.berg"));
        maria.sayIn(conversation, "Hello Dr. Berg");
        olsen.accept(conversation); // consent: photos and videos wait for it
        parent = new ChatPage(chromium.browser(), server.uri("/"), 1100, 800);
        therapist = new ChatPage(chromium.browser(), server.uri("/"), 390, 800);
        for (ChatPage p : List.of(parent, therapist)) {
            p.page.onResponse(r -> {
                if (r.url().contains("/api/v1/media/") && r.status() == 404) {
                    missing.add(r.url());
                }
            });
        }
        parent.open().logIn("anna@example.org", Api.PASSWORD);
        parent.conversation("dr.berg").click();
        therapist.open().logIn("dr.berg@example.org", Api.PASSWORD);
        therapist.conversation("anna").click();
        assertThat(therapist.bubble("Hello Dr. Berg")).isVisible();
    }

    @AfterEach
    void noPageErrors() {
        Assertions.assertThat(parent.problems).as("errors in the parent's page").isEmpty();
        Assertions.assertThat(therapist.problems).as("errors in the therapist's page").isEmpty();
        Assertions.assertThat(missing).as("variants asked for that do not exist").isEmpty();
    }

    @Test
    @Order(1)
    void anImagePastedAndOneDroppedAreSent() throws Exception {
        String png = Base64.getEncoder().encodeToString(Files.readAllBytes(Images.landscape(300, 200)));
        parent.composer().focus();
        parent.page.evaluate("([b64]) => {"
                + " const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));"
                + " const dt = new DataTransfer();"
                + " dt.items.add(new File([bytes], 'pasted.jpg', { type: 'image/jpeg' }));"
                + " document.querySelector('#composer-text').dispatchEvent(new ClipboardEvent('paste',"
                + "   { clipboardData: dt, bubbles: true, cancelable: true })); }", List.of(png));
        assertThat(therapist.page.locator(".bubble.theirs button.media.image")).hasCount(1);
        assertThat(parent.page.locator(".bubble.mine").last()).hasAttribute("data-state", Pattern.compile("sent|read"));

        JSHandle transfer = parent.page.evaluateHandle("([b64]) => {"
                + " const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));"
                + " const dt = new DataTransfer();"
                + " dt.items.add(new File([bytes], 'dropped.jpg', { type: 'image/jpeg' }));"
                + " return dt; }", List.of(png));
        parent.page.dispatchEvent("section.chat", "dragenter", Map.of("dataTransfer", transfer));
        assertThat(parent.page.locator(".drop-overlay")).isVisible();
        parent.page.dispatchEvent("section.chat", "drop", Map.of("dataTransfer", transfer));
        assertThat(parent.page.locator(".drop-overlay")).isHidden();
        assertThat(therapist.page.locator(".bubble.theirs button.media.image")).hasCount(2);
        waitForImage(therapist.page.locator(".bubble.theirs button.media.image img").last());
    }

    @Test
    @Order(2)
    void twoFilesPickedAtOnceGoAsTwoMessagesWithTheCaptionOnTheLast() throws Exception {
        parent.composer().fill("Leo's drawings from today");
        parent.page.locator("#attach-file").setInputFiles(new Path[] {Images.landscape(320, 240), Images.landscape(200, 300)});
        assertThat(therapist.page.locator(".bubble.theirs button.media.image")).hasCount(4);
        Locator captions = therapist.page.locator(".bubble.theirs .caption");
        assertThat(captions).hasCount(1);
        assertThat(captions).hasText("Leo's drawings from today");
        // the caption is on the last of the two, under its picture
        assertThat(therapist.page.locator(".bubble.theirs").last().locator(".caption")).hasCount(1);
        assertThat(parent.page.locator(".bubble.mine").last().locator(".caption")).hasText("Leo's drawings from today");
        assertThat(parent.composer()).hasValue("");
        // the inbox previews a captioned photo by its caption
        assertThat(parent.conversation("dr.berg").locator(".preview")).hasText("You: Photo: Leo's drawings from today");
    }

    @Test
    @Order(3)
    void anUploadShowsItsProgressAndCancelSendsNothing() throws Exception {
        int before = therapist.bubbles().count();
        Path photo = Images.landscape(1600, 1200, true);
        CDPSession network = parent.context.newCDPSession(parent.page);
        network.send("Network.enable");
        network.send("Network.emulateNetworkConditions", throughput(64 * 1024));
        parent.page.locator("#attach-file").setInputFiles(photo);
        Locator uploading = parent.page.locator(".bubble.mine.uploading");
        assertThat(uploading.locator("progress")).isVisible();
        assertThat(uploading.locator(".percent")).hasText(Pattern.compile("^\\d{1,2}%$"));
        uploading.getByText("Cancel").click();
        assertThat(parent.page.locator(".bubble.mine.uploading")).hasCount(0);
        network.send("Network.emulateNetworkConditions", throughput(-1));
        therapist.page.waitForTimeout(2000);
        assertThat(therapist.bubbles()).hasCount(before);
        // after a reload, the parent's history has nothing more either
        parent.page.reload();
        assertThat(parent.bubbles()).hasCount(before);
    }

    @Test
    @Order(4)
    void aVideoBubbleShowsItsPosterAPlayButtonAndItsDuration() throws Exception {
        Path clip = video(tmp, 3.4);
        therapist.composer().fill("The exercise for this week");
        therapist.page.locator("#attach-file").setInputFiles(new FilePayload("exercise.mp4", "video/mp4",
                Files.readAllBytes(clip)));
        Locator video = parent.page.locator(".bubble.theirs button.media.video");
        assertThat(video).hasCount(1);
        Locator poster = video.locator("img.thumb");
        assertThat(poster).hasAttribute("src", Pattern.compile("^blob:"));
        waitForImage(poster);
        assertThat(video.locator(".duration")).hasText("0:03");
        assertThat(video.locator(".play svg")).isVisible();
        assertThat(parent.page.locator(".bubble.theirs").last().locator(".caption")).hasText("The exercise for this week");
        // the play button sits inside the poster, not over the caption text
        Map<?, ?> play = (Map<?, ?>) video.locator(".play svg").evaluate(
                "e => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; }");
        Map<?, ?> caption = (Map<?, ?>) parent.page.locator(".bubble.theirs").last().locator(".caption").evaluate(
                "e => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; }");
        Assertions.assertThat(((Number) play.get("bottom")).doubleValue())
                .isLessThanOrEqualTo(((Number) caption.get("top")).doubleValue());
        parent.assertAccessible("a video bubble with its poster and caption");
    }

    /** Chromium's network conditions: {@code uploadBytesPerSecond} up (-1: as fast as it goes). */
    private static com.google.gson.JsonObject throughput(int uploadBytesPerSecond) {
        com.google.gson.JsonObject conditions = new com.google.gson.JsonObject();
        conditions.addProperty("offline", false);
        conditions.addProperty("latency", 0);
        conditions.addProperty("downloadThroughput", -1);
        conditions.addProperty("uploadThroughput", uploadBytesPerSecond);
        return conditions;
    }

    private static void waitForImage(Locator img) {
        img.page().waitForCondition(() -> (Boolean) img.evaluate("i => i.complete && i.naturalWidth > 0"));
    }

    /** An MP4 of {@code seconds}, 320×240, made by Debian's ffmpeg now. */
    private static Path video(Path dir, double seconds) throws IOException, InterruptedException {
        Path out = dir.resolve("clip.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=10", "-t", Double.toString(seconds), "-c:v", "libx264", "-pix_fmt",
                "yuv420p", "-movflags", "+faststart", out.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        Assertions.assertThat(p.waitFor()).as("ffmpeg (Debian's ffmpeg package) says: " + output).isZero();
        return out;
    }
}
