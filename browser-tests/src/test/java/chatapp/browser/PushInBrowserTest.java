package chatapp.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import chatapp.server.RunningServer;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Web Push in Chromium (docs/notifications.md): with the notification permission granted, the
 * app's service worker receives a push delivered through the DevTools protocol
 * ({@code ServiceWorker.deliverPushMessage}, as a push service would deliver it), shows one
 * notification per conversation with no message text, and a click on it opens that
 * conversation in the app's tab.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FailureScreenshots.class)
class PushInBrowserTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @Test
    void aPushShowsANotificationAndItsClickOpensTheConversation() {
        ChatPage parent = new ChatPage(chromium.browser(), server.uri("/"), 1000, 700);
        String origin = server.uri("/").toString().replaceAll("/$", "");
        parent.context.grantPermissions(List.of("notifications"),
                new BrowserContext.GrantPermissionsOptions().setOrigin(origin));
        parent.signUp("parent", "pia", "pia@example.org", Api.PASSWORD, "1");
        Api therapist = Api.therapist(server, "dr.olsen", "Speech therapy");
        String conversationId = therapist.conversationWith(therapist.find("parent", "pia"));

        CDPSession cdp = parent.context.newCDPSession(parent.page);
        Map<String, String> registrations = new ConcurrentHashMap<>();
        cdp.on("ServiceWorker.workerRegistrationUpdated", event -> {
            for (var r : event.getAsJsonArray("registrations")) {
                JsonObject reg = r.getAsJsonObject();
                registrations.put(reg.get("scopeURL").getAsString(), reg.get("registrationId").getAsString());
            }
        });
        cdp.send("ServiceWorker.enable");
        Object state = parent.page.evaluate("""
                async () => {
                  const reg = await navigator.serviceWorker.register('/app/sw.js', { scope: '/' }); // the app's one registration
                  const w = reg.installing || reg.waiting || reg.active;
                  if (w.state !== 'activated') {
                    await new Promise(done => w.addEventListener('statechange', () => w.state === 'activated' && done()));
                  }
                  return Notification.permission;
                }""");
        Assertions.assertThat(state).isEqualTo("granted");
        parent.page.waitForCondition(() -> registrations.containsKey(origin + "/"));

        JsonObject push = new JsonObject();
        push.addProperty("origin", origin);
        push.addProperty("registrationId", registrations.get(origin + "/"));
        push.addProperty("data", "{\"title\":\"New message from dr.olsen\",\"conversationId\":\"" + conversationId
                + "\"}");
        cdp.send("ServiceWorker.deliverPushMessage", push);

        String shown = """
                async () => {
                  const reg = await navigator.serviceWorker.getRegistration('/');
                  const ns = await reg.getNotifications();
                  return ns.map(n => n.title + '|' + n.tag + '|' + (n.data && n.data.conversationId)).join('\\n');
                }""";
        parent.page.waitForCondition(() -> !String.valueOf(parent.page.evaluate(shown)).isEmpty());
        Assertions.assertThat(String.valueOf(parent.page.evaluate(shown)))
                .isEqualTo("New message from dr.olsen|chatapp-conversation-" + conversationId + "|" + conversationId);

        // A second push for the same conversation replaces the notification (one per conversation).
        cdp.send("ServiceWorker.deliverPushMessage", push);
        parent.page.waitForTimeout(300);
        Assertions.assertThat(String.valueOf(parent.page.evaluate(shown)).lines()).hasSize(1);

        // The click: the worker's notificationclick handler with the notification shown, run in the
        // worker through the DevTools protocol (Playwright for Java does not expose service workers).
        CDPSession browserCdp = chromium.browser().newBrowserCDPSession();
        String workerId = null;
        for (var t : browserCdp.send("Target.getTargets").getAsJsonArray("targetInfos")) {
            JsonObject info = t.getAsJsonObject();
            if ("service_worker".equals(info.get("type").getAsString()) && info.get("url").getAsString().endsWith("/app/sw.js")) {
                workerId = info.get("targetId").getAsString();
            }
        }
        Assertions.assertThat(workerId).as("the app's service worker target").isNotNull();
        JsonObject attach = new JsonObject();
        attach.addProperty("targetId", workerId);
        attach.addProperty("flatten", false);
        String sessionId = browserCdp.send("Target.attachToTarget", attach).get("sessionId").getAsString();
        JsonObject evaluate = new JsonObject();
        evaluate.addProperty("id", 1);
        evaluate.addProperty("method", "Runtime.evaluate");
        JsonObject params = new JsonObject();
        params.addProperty("expression", "self.registration.getNotifications().then(([n]) =>"
                + " self.dispatchEvent(new NotificationEvent('notificationclick', { notification: n })))");
        params.addProperty("awaitPromise", true);
        evaluate.add("params", params);
        JsonObject message = new JsonObject();
        message.addProperty("sessionId", sessionId);
        message.addProperty("message", evaluate.toString());
        browserCdp.send("Target.sendMessageToTarget", message);
        assertThat(parent.page).hasURL(origin + "/#/c/" + conversationId);
        assertThat(parent.chatTitle()).hasText("dr.olsen");
        Assertions.assertThat(parent.problems).isEmpty();
        parent.close();
        browserCdp.detach(); // the browser serves the next classes too (Chromium)
    }

    @Test
    void aTherapistSetsQuietHoursAndAnAwayMessageInSettings() {
        ChatPage therapist = new ChatPage(chromium.browser(), server.uri("/"), 1000, 900);
        therapist.signUp("therapist", "dr.lund", "lund@example.org", Api.PASSWORD, "Speech therapy");
        therapist.page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                new com.microsoft.playwright.Page.GetByRoleOptions().setName("Settings")).click();
        assertThat(therapist.page.getByLabel("Time zone")).not().hasValue("");
        therapist.page.getByLabel("Time zone").fill("Europe/Oslo");
        therapist.page.getByLabel("From", new com.microsoft.playwright.Page.GetByLabelOptions().setExact(true)).fill("22:00");
        therapist.page.getByLabel("Until", new com.microsoft.playwright.Page.GetByLabelOptions().setExact(true)).fill("07:00");
        therapist.page.getByLabel("Shown to a parent who writes outside your hours").fill("I answer on weekdays.");
        therapist.page.getByLabel("Hours from").fill("09:00");
        therapist.page.getByLabel("until", new com.microsoft.playwright.Page.GetByLabelOptions().setExact(true)).fill("17:00");
        therapist.page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new com.microsoft.playwright.Page.GetByRoleOptions().setName("Save notification settings")).click();
        assertThat(therapist.page.locator(".preferences-form .prefs-saved")).hasText("Saved.");
        therapist.assertAccessible("Settings with the notification preferences");

        // A time zone that is not an IANA id is refused in words, naming the field.
        therapist.page.getByLabel("Time zone").fill("Mars/Olympus");
        therapist.page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new com.microsoft.playwright.Page.GetByRoleOptions().setName("Save notification settings")).click();
        assertThat(therapist.page.locator(".preferences-form .prefs-saved")).containsText("timeZone");
        therapist.page.reload();
        assertThat(therapist.page.getByLabel("Time zone")).hasValue("Europe/Oslo");
        assertThat(therapist.page.getByLabel("Shown to a parent who writes outside your hours"))
                .hasValue("I answer on weekdays.");
        Assertions.assertThat(therapist.problems).allMatch(p -> p.contains("400"));
        therapist.close();
    }
}
