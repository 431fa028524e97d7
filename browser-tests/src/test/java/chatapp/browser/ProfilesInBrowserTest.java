package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Profiles in the page (issue 21): a therapist fills in a display name, credentials, practice,
 * a bio and a photo in Settings (a look-alike name is refused next to its field); a parent sees
 * the name and photo in the directory, the inbox and the conversation header, and opens the
 * profile from the directory and from the header with the keyboard; someone without a photo
 * shows as initials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
class ProfilesInBrowserTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name));
    }

    @Test
    void aParentTellsTheyHaveTheRightTherapistByNamePhotoAndProfile() {
        ChatPage therapist = new ChatPage(chromium.browser(), server.uri("/"), 1000, 760);
        therapist.signUp("therapist", "ana29234", "ana29234@example.org", "a long enough password", "Speech therapy");
        therapist.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();
        assertThat(therapist.page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your profile")))
                .isVisible();

        // a name with a Cyrillic letter that looks Latin is refused, next to the field
        therapist.page.getByLabel("Display name").fill("Dr. Ana Mіller");
        button(therapist.page, "Save profile").click();
        assertThat(therapist.page.locator("#profile-displayName-error")).containsText("Mixes scripts that look alike (Cyrillic and Latin)");
        assertThat(therapist.page.getByLabel("Display name")).hasAttribute("aria-invalid", "true");
        assertThat(therapist.page.getByLabel("Display name")).isFocused();

        therapist.page.getByLabel("Display name").fill("Dr. Ana Müller");
        therapist.page.getByLabel("Credentials").fill("MSc, licensed speech and language therapist");
        therapist.page.getByLabel("Practice").fill("Little Voices, Lisbon");
        therapist.page.getByLabel("About you").fill("I help children find their words.\nTwenty years of practice.");
        therapist.page.getByLabel("About you").press("Tab");
        therapist.page.keyboard().press("Enter"); // the Save button, by keyboard
        assertThat(therapist.page.locator(".profile-form .settings-status")).hasText("Your profile is saved.");
        assertThat(therapist.page.locator("#profile-displayName-error")).isEmpty();

        therapist.page.locator("#profile-avatar-file").setInputFiles(Images.landscape(800, 600));
        assertThat(therapist.page.locator(".profile-photo .settings-status")).hasText("Your photo is saved.");
        assertThat(therapist.page.locator(".profile-photo .avatar img")).isVisible();
        therapist.assertAccessible("the profile in settings");

        // the parent finds the therapist by name and photo, and reads the profile before writing
        ChatPage parent = new ChatPage(chromium.browser(), server.uri("/"), 1000, 760);
        parent.signUp("parent", "noor", "noor@example.org", "a long enough password", "2");
        parent.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("^Find a ")))
                .click();
        parent.page.getByRole(AriaRole.SEARCHBOX).fill("ana");
        Locator row = parent.page.locator(".people .person-row").filter(new Locator.FilterOptions().setHasText("ana29234"));
        assertThat(row.locator(".peer-name")).containsText("Dr. Ana Müller");
        assertThat(row.locator(".avatar img")).isVisible();
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Profile of Dr. Ana Müller")).focus();
        parent.page.keyboard().press("Enter");
        Locator dialog = parent.page.getByRole(AriaRole.DIALOG);
        assertThat(dialog.getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("Dr. Ana Müller"))).isVisible();
        assertThat(dialog).containsText("@ana29234");
        assertThat(dialog).containsText("MSc, licensed speech and language therapist");
        assertThat(dialog).containsText("Little Voices, Lisbon");
        assertThat(dialog).containsText("Twenty years of practice.");
        assertThat(dialog.locator("img")).isVisible();
        parent.assertAccessible("the profile dialog");
        parent.page.keyboard().press("Escape");
        assertThat(dialog).isHidden();

        row.locator(".person").click();
        assertThat(parent.chatTitle()).hasText("Dr. Ana Müller");
        assertThat(parent.page.locator(".chat-head .avatar img")).isVisible();
        parent.send("Hello Dr. Müller, is Thursday at 4 possible?");
        assertThat(parent.conversation("Dr. Ana Müller").locator(".avatar img")).isVisible();

        // the header opens the profile, by keyboard
        Locator open = parent.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("View profile of Dr. Ana Müller"));
        open.focus();
        parent.page.keyboard().press("Enter");
        assertThat(dialog.getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("Dr. Ana Müller"))).isVisible();
        parent.page.keyboard().press("Escape");
        assertThat(dialog).isHidden();

        // the parent has no photo or display name: initials and username on the therapist's side
        therapist.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("ChatApp")).first().click();
        Locator request = therapist.request("noor");
        assertThat(request.locator(".avatar")).hasText("NO");
        Assertions.assertThat(request.locator(".avatar img").count()).isZero();
        Assertions.assertThat(parent.problems).isEmpty();
        Assertions.assertThat(therapist.problems).isEmpty();
        parent.close();
        therapist.close();
    }
}
