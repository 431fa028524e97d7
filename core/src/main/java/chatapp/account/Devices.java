package chatapp.account;

import java.util.Locale;

/**
 * The device of a session as its owner sees it in the session list: a short summary of the
 * User-Agent, e.g. "Firefox on Windows", "Safari on iPhone", "ChatApp bench". The raw header is
 * never stored: it is long, and it identifies a browser build more closely than the list needs.
 */
public final class Devices {

    /** Longest summary kept. */
    public static final int MAX_LENGTH = 64;

    private Devices() {
    }

    /**
     * A short summary of {@code userAgent}: browser and operating system when recognised, else
     * the first product token; null for a missing or blank header. At most {@link #MAX_LENGTH}
     * characters, printable ASCII only.
     */
    public static String summary(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return null;
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        String browser = browser(ua);
        String os = os(ua);
        String summary;
        if (browser != null && os != null) {
            summary = browser + " on " + os;
        } else if (browser != null || os != null) {
            summary = browser != null ? browser : os;
        } else {
            summary = userAgent.strip().split("[\\s;(]", 2)[0].replace('/', ' ');
        }
        String clean = summary.replaceAll("[^\\x20-\\x7e]", "").strip();
        if (clean.isEmpty()) {
            return null;
        }
        return clean.length() > MAX_LENGTH ? clean.substring(0, MAX_LENGTH) : clean;
    }

    // Order matters: Edge and Opera say Chrome too, Chrome says Safari.
    private static String browser(String ua) {
        if (ua.contains("edg/") || ua.contains("edge/")) {
            return "Edge";
        }
        if (ua.contains("opr/") || ua.contains("opera")) {
            return "Opera";
        }
        if (ua.contains("firefox/") || ua.contains("fxios/")) {
            return "Firefox";
        }
        if (ua.contains("chrome/") || ua.contains("crios/") || ua.contains("chromium/")) {
            return "Chrome";
        }
        if (ua.contains("safari/")) {
            return "Safari";
        }
        return null;
    }

    private static String os(String ua) {
        if (ua.contains("iphone")) {
            return "iPhone";
        }
        if (ua.contains("ipad")) {
            return "iPad";
        }
        if (ua.contains("android")) {
            return "Android";
        }
        if (ua.contains("windows")) {
            return "Windows";
        }
        if (ua.contains("mac os") || ua.contains("macintosh")) {
            return "macOS";
        }
        if (ua.contains("cros")) {
            return "ChromeOS";
        }
        if (ua.contains("linux")) {
            return "Linux";
        }
        return null;
    }
}
