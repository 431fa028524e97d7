package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.AriaRole;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Accounts in the browser: API errors in words, staying signed in across reloads with refresh
 * rotation shared safely by several tabs (also when a reload cuts a refresh off), and log-out in
 * every tab.
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
        // The page leaves at once and tells the server in the background; wait for that answer,
        // or the check below can overtake the log-out on a busy machine.
        tab2.waitForResponse(r -> r.url().endsWith("/api/v1/auth/logout") && r.status() == 204,
                () -> tab2.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click());
        assertThat(tab1.page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        assertThat(tab2.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        tab1.page.reload();
        assertThat(tab1.page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Log in"))).isVisible();
        Assertions.assertThat(server.post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + last + "\"}", null).statusCode())
                .as("log-out revoked the refresh token").isEqualTo(401);
        Assertions.assertThat(tab1.problems).isEmpty();
        tab1.close();
    }

    @Test
    void aReloadThatCutsOffARefreshAfterTheServerRotatedKeepsTheSession() {
        ChatPage tab = new ChatPage(chromium.browser(), server.uri("/"), 1000, 700);
        tab.signUp("parent", "amara", "amara@example.org", "a long enough password", "2");
        String spent = refreshToken(tab.page);

        // The first refresh reaches the server, which rotates; its answer never reaches the page
        // (as when a reload or a closed tab cuts the request off). Later refreshes pass.
        AtomicInteger refreshes = new AtomicInteger();
        AtomicReference<String> lost = new AtomicReference<>();
        tab.context.route("**/api/v1/auth/refresh", route -> {
            if (refreshes.getAndIncrement() == 0) {
                APIResponse answer = route.fetch();
                lost.set(answer.status() + " " + answer.text());
                route.abort("connectionreset");
            } else {
                route.resume();
            }
        });
        expire(tab.page);
        tab.page.reload();
        tab.page.waitForCondition(() -> lost.get() != null);
        Assertions.assertThat(lost.get()).as("the server rotated").startsWith("200 ");
        String issued = lost.get().replaceAll("(?s).*\"refreshToken\":\"([^\"]+)\".*", "$1");
        Assertions.assertThat(issued).isNotEqualTo(spent);

        // The page still holds the old token and presents it again: within the grace window the
        // server hands back the same new token instead of revoking the session.
        tab.page.reload();
        tab.assertSignedInAs("amara");
        tab.page.waitForCondition(() -> refreshToken(tab.page).equals(issued));
        Assertions.assertThat(refreshes.get()).as("the old token was presented again").isGreaterThanOrEqualTo(2);
        tab.context.unrouteAll();
        assertThat(tab.banner()).isHidden();
        Assertions.assertThat(tab.problems).isEmpty();
        tab.close();

        // The session lives on with the token the page holds: it rotates as usual.
        HttpResponse<String> next = server.post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + issued + "\"}", null);
        Assertions.assertThat(next.statusCode()).isEqualTo(200);
        Assertions.assertThat(next.body()).contains("amara").doesNotContain(issued);
    }

    /** Marks the stored access token expired, so that the next page load must refresh. */
    private static void expire(Page page) {
        page.evaluate("() => { const s = JSON.parse(localStorage.getItem('chatapp.session'));"
                + " if (s) { s.accessExpiresAt = 0; localStorage.setItem('chatapp.session', JSON.stringify(s)); } }");
    }

    /**
     * Marks the stored access token expired and reloads both tabs at the same moment. Either
     * tab may be refreshing while the other reloads, and a reload may cut a refresh off after the
     * server rotated: the server's grace for the previous token (docs/security.md) keeps the
     * session alive through that.
     */
    private static void expireAndReloadBoth(Page tab1, Page tab2) {
        String url = tab1.url().replaceAll("#.*$", "");
        expire(tab1);
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
