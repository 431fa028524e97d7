package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The user's own data from the page (issue 22): "Download my data" makes the archive in the
 * background and offers its link; "Delete my account" asks for the password and a confirmation,
 * then signs out, and the peer sees the conversation as with a deleted account.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
class UserDataInBrowserTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @Test
    void aParentDownloadsTheirDataThenDeletesTheirAccount() throws IOException {
        Api lind = Api.therapist(server, "dr.lind", "Speech therapy");
        ChatPage parent = new ChatPage(chromium.browser(), server.uri("/"), 1000, 700);
        parent.signUp("parent", "noor", "noor@example.org", "a long enough password", "1");
        parent.startChatWith("dr.l", "dr.lind");
        parent.send("Hello, Sam & <b>me</b> would like an appointment");
        assertThat(parent.bubble("would like an appointment")).isVisible();
        // accepted: the therapist keeps it after the deletion (a request never accepted would
        // leave the therapist's side with the account, docs/decisions/0055-deletion-requests-and-sends.md)
        lind.accept(lind.conversationWith(lind.find("parent", "noor")));

        parent.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();
        assertThat(parent.page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Settings"))).isVisible();
        parent.assertAccessible("the settings");
        parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Download my data")).click();
        var link = parent.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("download it"));
        assertThat(link).isVisible();
        Download download = parent.page.waitForDownload(link::click);
        Map<String, String> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(download.path()); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        Assertions.assertThat(entries).containsKeys("index.json", "index.html");
        Assertions.assertThat(entries.get("index.json")).contains("would like an appointment");
        Assertions.assertThat(entries.get("index.html")).contains("Sam &amp; &lt;b&gt;me&lt;/b&gt;");

        // the human-readable index opens offline in the browser
        java.nio.file.Path unpacked = Files.createTempDirectory("chatapp-export");
        Files.writeString(unpacked.resolve("index.html"), entries.get("index.html"));
        Page offline = parent.context.newPage();
        offline.navigate(unpacked.resolve("index.html").toUri().toString());
        assertThat(offline.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("With dr.lind"))).isVisible();
        assertThat(offline.getByText("would like an appointment")).isVisible();
        offline.close();

        // a wrong password deletes nothing; the confirmation is required
        parent.page.getByLabel("Your password").fill("not my password");
        parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete my account")).click();
        assertThat(parent.page.locator(".settings-delete .settings-status")).hasText(
                "Tick the box to confirm that you want to delete your account.");
        parent.page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("^I understand"))).check(); // Settings also has the notification switches
        parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete my account")).click();
        assertThat(parent.page.locator(".settings-delete .settings-status")).hasText("That password is not right.");
        parent.assertSignedInAs("noor");

        parent.page.getByLabel("Your password").fill("a long enough password");
        parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete my account")).click();
        assertThat(parent.page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        assertThat(parent.page.getByRole(AriaRole.STATUS)).hasText("Your account was deleted.");
        parent.logIn("noor@example.org", "a long enough password");
        assertThat(parent.page.getByRole(AriaRole.ALERT)).hasText("Wrong email or password.");

        // the therapist keeps the conversation, which says the account was deleted
        ChatPage therapist = new ChatPage(chromium.browser(), server.uri("/"), 1000, 700).open();
        therapist.logIn("dr.lind@example.org", Api.PASSWORD);
        therapist.assertSignedInAs("dr.lind");
        assertThat(therapist.conversation("Deleted account")).containsText("Message deleted");
        therapist.conversation("Deleted account").click();
        assertThat(therapist.bubble("Message deleted")).isVisible();
        assertThat(therapist.page.getByText("This account was deleted.", new Page.GetByTextOptions().setExact(false)))
                .isVisible();
        Assertions.assertThat(therapist.page.content()).doesNotContain("would like an appointment");
        Assertions.assertThat(parent.problems).isEmpty();
        Assertions.assertThat(therapist.problems).isEmpty();
        parent.close();
        therapist.close();
    }
}
