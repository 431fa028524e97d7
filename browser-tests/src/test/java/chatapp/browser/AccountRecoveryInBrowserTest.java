package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Email links in the browser, with the emails read from a real SMTP server (GreenMail): sign-up
 * asks to confirm the address and the emailed link confirms it; "Forgot password?" sends a
 * link whose page sets a new password, after which the old one no longer works and the new one does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
class AccountRecoveryInBrowserTest {

    static final GreenMail mail = startMail();

    @RegisterExtension
    static final RunningServer server = new RunningServer("--chatapp.email.smtp-host=127.0.0.1",
            "--chatapp.email.smtp-port=" + mail.getSmtp().getPort(), "--chatapp.email.starttls=false",
            "--chatapp.email.from=no-reply@chat.example.org", "--chatapp.email.app-url=https://chat.example.org");

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    private static GreenMail startMail() {
        GreenMail m = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        m.start();
        return m;
    }

    @AfterAll
    static void stopMail() {
        mail.stop();
    }

    /** The token of the newest email to {@code to} with a {@code #kind=} link. */
    private static String token(String to, String kind) throws Exception {
        Pattern link = Pattern.compile("#" + kind + "=([A-Za-z0-9_-]+)");
        for (int i = 0; i < 200; i++) {
            MimeMessage[] all = mail.getReceivedMessages();
            for (int j = all.length - 1; j >= 0; j--) {
                if (all[j].getAllRecipients()[0].toString().equals(to)) {
                    Matcher m = link.matcher(GreenMailUtil.getBody(all[j]));
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + kind + " email to " + to + "; got " + Arrays.toString(mail.getReceivedMessages()));
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name);
    }

    @Test
    void signUpConfirmTheAddressForgetThePasswordAndSetANewOne() throws Exception {
        ChatPage tab = new ChatPage(chromium.browser(), server.uri("/"), 1000, 700).open();
        tab.page.getByRole(AriaRole.BUTTON, named("Create an account")).click();
        tab.page.getByLabel("Parent").check();
        tab.page.getByLabel("Username").fill("lena");
        tab.page.getByLabel("Email").fill("lena@example.org");
        tab.page.getByLabel("Password").fill("a long enough password");
        tab.page.getByLabel("Number of children").fill("1");
        tab.page.getByRole(AriaRole.BUTTON, named("Create account")).click();
        assertThat(tab.page.locator(".notice")).containsText("We sent a link to lena@example.org");

        tab.page.navigate(server.uri("/#verify-email=" + token("lena@example.org", "verify-email")).toString());
        assertThat(tab.page.locator(".notice")).containsText("Your email address is confirmed");
        Assertions.assertThat(tab.page.url()).doesNotContain("verify-email");

        tab.page.getByRole(AriaRole.BUTTON, named("Forgot password?")).click();
        tab.page.getByLabel("Email").fill("lena@example.org");
        tab.page.getByRole(AriaRole.BUTTON, named("Send me a link")).click();
        assertThat(tab.page.getByRole(AriaRole.STATUS)).containsText("If an account has this address");

        tab.page.navigate(server.uri("/#reset-password=" + token("lena@example.org", "reset-password")).toString());
        tab.page.getByLabel("New password").fill("short");
        tab.page.getByRole(AriaRole.BUTTON, named("Set password")).click();
        assertThat(tab.page.getByRole(AriaRole.ALERT)).containsText("The new password must be");
        tab.page.getByLabel("New password").fill("a brand new password");
        tab.page.getByRole(AriaRole.BUTTON, named("Set password")).click();
        assertThat(tab.page.locator(".notice")).containsText("Your new password is set");

        tab.logIn("lena@example.org", "a long enough password");
        assertThat(tab.page.getByRole(AriaRole.ALERT)).hasText("Wrong email or password.");
        tab.logIn("lena@example.org", "a brand new password");
        tab.assertSignedInAs("lena");
        Assertions.assertThat(tab.problems).isEmpty();
        tab.close();
    }
}
