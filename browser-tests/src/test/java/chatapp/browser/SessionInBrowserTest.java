package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.AriaRole;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Accounts in the browser: API errors in words, staying signed in across reloads with refresh
 * rotation shared safely by several tabs, and log-out in every tab.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
class SessionInBrowserTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @RegisterExtension
    static final Chromium chromium = new Chromium();


    @Test
    void apiErrorsAreShownInWords() {
        ChatPage first = new ChatPage(chromium.browser(), server.uri("/"), 1000, 700);
        first.signUp("parent", "sofia", "sofia@example.org", "a long enough password", "1");
        first.close();

        ChatPage again = new ChatPage(chromium.browser(), server.uri("/"), 390, 700).open();
        again.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create an account")).click();
        again.page.getByLabel("Username").fill("sofia2");
        again.page.getByLabel("Email").fill("SOFIA@example.org");
        again.page.getByLabel("Password").fill("short");
        again.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        // A field the server refused is marked, says why in words, and gets the focus.
        assertThat(again.page.getByLabel("Password")).hasAttribute("aria-invalid", "true");
        assertThat(again.page.getByLabel("Password")).isFocused();
        assertThat(again.page.locator("#signup-password-error")).containsText("Password must be");
        again.assertAccessible("the sign-up form with an error");
        again.page.getByLabel("Password").fill("another long password");
        again.page.getByLabel("Password").press("Enter");
        assertThat(again.page.getByRole(AriaRole.ALERT)).containsText("An account with this email already exists");
        assertThat(again.page.getByLabel("Password")).not().hasAttribute("aria-invalid", "true");

        again.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        again.logIn("sofia@example.org", "not the password");
        assertThat(again.page.getByRole(AriaRole.ALERT)).hasText("Wrong email or password.");
        again.assertAccessible("the log-in form with an error");
        again.logIn("sofia@example.org", "a long enough password");
        again.assertSignedInAs("sofia");
        Assertions.assertThat(again.problems).isEmpty();
        again.close();
    }

    @Test
    void tabsShareOneSessionThroughReloadsRefreshesAndLogOut() {
        ChatPage tab1 = new ChatPage(chromium.browser(), server.uri("/"), 1000, 700);
        tab1.signUp("therapist", "dr.berg", "berg@example.org", "a long enough password", "Occupational therapy");
        Page tab2 = tab1.context.newPage();
        tab1.watch(tab2);
        tab2.navigate(tab1.base.toString());
        assertThat(tab2.locator(".topbar .me")).containsText("dr.berg");

        String first = refreshToken(tab1.page);
        for (int round = 0; round < 3; round++) {
            // Both tabs find the access token expired at the same moment and must refresh: with
            // rotation and reuse detection, two refreshes with one token would end the session,
            // and the next round would find itself logged out.
            String before = refreshToken(tab1.page);
            expireAndReloadBoth(tab1.page, tab2);
            assertThat(tab1.page.locator(".topbar .me")).containsText("dr.berg");
            assertThat(tab2.locator(".topbar .me")).containsText("dr.berg");
            tab1.page.waitForCondition(() -> !refreshToken(tab1.page).equals(before));
            assertThat(tab1.banner()).isHidden();
            assertThat(tab2.locator(".banner")).isHidden();
        }

        // Someone replays a rotated refresh token: the server revokes the chain (API.md), and
        // both tabs end up at the log-in form at their next refresh instead of failing silently.
        Assertions.assertThat(server.post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + first + "\"}", null).statusCode())
                .as("a rotated refresh token no longer works").isEqualTo(401);
        expireAndReloadBoth(tab1.page, tab2);
        assertThat(tab1.page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        assertThat(tab2.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        tab1.logIn("berg@example.org", "a long enough password");
        tab1.assertSignedInAs("dr.berg");
        assertThat(tab2.locator(".topbar .me")).containsText("dr.berg");

        String last = refreshToken(tab1.page);
        tab2.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        assertThat(tab1.page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        assertThat(tab2.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        tab1.page.reload();
        assertThat(tab1.page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        Assertions.assertThat(server.post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + last + "\"}", null).statusCode())
                .as("log-out revoked the refresh token").isEqualTo(401);
        Assertions.assertThat(tab1.problems).isEmpty();
        tab1.close();
    }

    /**
     * Marks the stored access token expired and opens the app again in both tabs at the same
     * moment. The old pages are left first (about:blank), so that none of them starts a refresh
     * that the reload would cut off after the server rotated (see docs/web-client.md).
     */
    private static void expireAndReloadBoth(Page tab1, Page tab2) {
        String url = tab1.url().replaceAll("#.*$", "");
        tab2.navigate("about:blank");
        tab1.evaluate("() => { const s = JSON.parse(localStorage.getItem('chatapp.session'));"
                + " if (s) { s.accessExpiresAt = 0; localStorage.setItem('chatapp.session', JSON.stringify(s)); } }");
        tab1.navigate("about:blank");
        for (Page tab : new Page[] {tab1, tab2}) {
            tab.evaluate("url => setTimeout(() => { location.href = url; }, 0)", url);
        }
        for (Page tab : new Page[] {tab1, tab2}) {
            tab.waitForCondition(() -> reloaded(tab));
        }
    }

    private static boolean reloaded(Page tab) {
        try {
            return !tab.url().startsWith("about:")
                    && Boolean.TRUE.equals(tab.evaluate("() => document.readyState === 'complete'"));
        } catch (PlaywrightException navigating) {
            return false;
        }
    }

    private static String refreshToken(Page page) {
        Object token = page.evaluate("() => JSON.parse(localStorage.getItem('chatapp.session') || '{}').refreshToken || ''");
        return String.valueOf(token);
    }
}
