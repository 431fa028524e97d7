package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One person using the web client in their own browser context: what they can see and do,
 * found by labels, roles and visible text as a person (or a screen reader) would find them.
 * Collects the page's errors (uncaught exceptions, console errors such as CSP violations).
 */
final class ChatPage {

    final BrowserContext context;
    final Page page;
    final URI base;
    final List<String> problems = new CopyOnWriteArrayList<>();
    /** The page's console warnings, for a failing test's message. */
    final List<String> warnings = new CopyOnWriteArrayList<>();

    /** Pages still open, for {@link FailureScreenshots}. */
    static final List<ChatPage> OPEN = new CopyOnWriteArrayList<>();

    static {
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(10_000);
    }

    ChatPage(Browser browser, URI base, int width, int height) {
        this.base = base;
        this.context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height).setLocale("en-GB"));
        this.context.setDefaultTimeout(15_000);
        this.page = context.newPage();
        watch(page);
        OPEN.add(this);
    }

    void watch(Page p) {
        p.onPageError(e -> problems.add("page error: " + e));
        p.onConsoleMessage(m -> {
            if ("error".equals(m.type()) && !expectedNetworkError(m.text())) {
                problems.add("console error: " + m.text());
            } else if ("warning".equals(m.type())) {
                warnings.add(m.text());
            }
        });
    }

    /** Failed requests while offline, and 4xx answers the test provoked on purpose, are expected. */
    private static boolean expectedNetworkError(String text) {
        return text.contains("net::ERR_INTERNET_DISCONNECTED") || text.contains("Failed to load resource")
                || text.contains("WebSocket connection to");
    }

    ChatPage open() {
        page.navigate(base.resolve("/").toString());
        return this;
    }

    void signUp(String type, String username, String email, String password, String detail) {
        open();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create an account")).click();
        page.getByLabel(type.equals("parent") ? "Parent" : "Therapist").check();
        page.getByLabel("Username").fill(username);
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(password);
        if (type.equals("therapist")) {
            page.getByLabel("Specialization").fill(detail);
        } else {
            page.getByLabel("Number of children").fill(detail);
        }
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        assertSignedInAs(username);
    }

    void logIn(String email, String password) {
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(password);
        page.getByLabel("Password").press("Enter");
    }

    void assertSignedInAs(String username) {
        assertThat(page.locator(".topbar .me")).containsText(username);
    }

    /** Opens the directory, searches, and starts (or reopens) the conversation with username. */
    void startChatWith(String search, String username) {
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("^Find a "))).click();
        Locator box = page.getByRole(AriaRole.SEARCHBOX);
        box.fill(search);
        Locator person = page.locator(".people .person").filter(new Locator.FilterOptions().setHasText(username));
        person.click();
        assertThat(chatTitle()).hasText(username);
    }

    Locator chatTitle() {
        return page.locator("#chat-title");
    }

    Locator composer() {
        return page.getByLabel("Message", new Page.GetByLabelOptions().setExact(true));
    }

    /** Types and sends with Enter, as people do. */
    void send(String text) {
        composer().fill(text);
        composer().press("Enter");
    }

    Locator bubbles() {
        return page.locator(".messages .bubble");
    }

    Locator bubble(String text) {
        return page.locator(".messages .bubble").filter(new Locator.FilterOptions().setHasText(text));
    }

    /** A request to this user in the Requests section, apart from the inbox. */
    Locator request(String peer) {
        return page.locator(".requests .request").filter(new Locator.FilterOptions().setHasText(peer));
    }

    Locator conversation(String peer) {
        return page.locator(".conversations .conversation").filter(new Locator.FilterOptions().setHasText(peer));
    }

    Locator banner() {
        return page.locator(".banner");
    }

    /**
     * Runs Deque's axe-core rules for WCAG 2.1 A and AA on what the page shows now and fails
     * with each violation in words (rule, impact, the elements, how to fix).
     */
    void assertAccessible(String where) {
        AxeResults results = new AxeBuilder(page)
                .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                .analyze();
        List<String> violations = results.getViolations().stream()
                .map(v -> v.getId() + " (" + v.getImpact() + "): " + v.getHelp() + " at "
                        + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList())
                .toList();
        org.assertj.core.api.Assertions.assertThat(violations).as("accessibility of %s", where).isEmpty();
    }

    void close() {
        OPEN.remove(this);
        context.close();
    }
}
