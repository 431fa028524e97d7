package chatapp.notification;

import chatapp.core.ChatAppException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * One user's notification preferences (docs/notifications.md): push and email on or off, how
 * long a message stays unread before an email, quiet hours in the user's time zone, and for
 * therapists an away message shown to parents who write outside stated hours.
 *
 * <p>Quiet hours and stated hours are half-open local-time ranges {@code [from, until)} in
 * {@link #timeZone}; a range whose {@code until} is not after {@code from} wraps midnight
 * (22:00-07:00). Both ends null means "none".
 *
 * @param push Web Push notifications on
 * @param pushShowsSender a push names the sender ("New message from Dr. Olsen"); off: "New message"
 * @param email unread-message emails on
 * @param emailDelay how long a message stays unread before an email, {@link #MIN_EMAIL_DELAY} to {@link #MAX_EMAIL_DELAY}
 * @param timeZone the user's time zone (IANA id), for quiet and stated hours
 * @param quietFrom start of quiet hours, or null
 * @param quietUntil end of quiet hours, or null
 * @param awayMessage shown to a parent who writes outside {@code hoursFrom}-{@code hoursUntil} on
 *     {@code workDays}; null for none; at most {@link #MAX_AWAY_MESSAGE} characters (code points);
 *     input is checked by {@link #awayMessageProblem} first
 * @param hoursFrom start of stated hours, or null
 * @param hoursUntil end of stated hours, or null
 * @param workDays the days the stated hours apply; outside them the whole day is away
 * @throws ChatAppException validation_failed if a bound is broken or only one end of a range is given
 */
public record Preferences(boolean push, boolean pushShowsSender, boolean email, Duration emailDelay,
        ZoneId timeZone, LocalTime quietFrom, LocalTime quietUntil,
        String awayMessage, LocalTime hoursFrom, LocalTime hoursUntil, Set<DayOfWeek> workDays) {

    /** The default delay before an unread-message email (issue 20: 15 minutes). */
    public static final Duration DEFAULT_EMAIL_DELAY = Duration.ofMinutes(15);
    /** The shortest email delay a user may choose. */
    public static final Duration MIN_EMAIL_DELAY = Duration.ofMinutes(1);
    /** The longest email delay a user may choose. */
    public static final Duration MAX_EMAIL_DELAY = Duration.ofHours(24);
    /** The longest away message, in characters (Unicode code points, as every text of docs/api.md). */
    public static final int MAX_AWAY_MESSAGE = 500;

    /**
     * What is wrong with an away message a user typed (already stripped, not blank), or null: the
     * text rules of a therapist's bio (docs/api.md, "Text"): valid Unicode, no control characters
     * other than line breaks, no direction controls, at most {@link #MAX_AWAY_MESSAGE} code points.
     */
    public static String awayMessageProblem(String text) {
        if (chatapp.core.TextRules.hasLoneSurrogate(text)) {
            return "must be valid Unicode (found an unpaired surrogate)";
        }
        int control = chatapp.core.TextRules.firstControl(text, true);
        if (control >= 0) {
            return "must not contain control characters other than line breaks (found "
                    + chatapp.core.TextRules.describe(control) + ")";
        }
        int direction = text.codePoints().filter(chatapp.core.TextRules::isDirectionControl).findFirst().orElse(-1);
        if (direction >= 0) {
            return "must not contain direction controls (found " + chatapp.core.TextRules.describe(direction) + ")";
        }
        if (chatapp.core.TextRules.isBlank(text)) {
            return "must show something (spaces and invisible characters alone do not count); send null to remove it";
        }
        if (text.codePointCount(0, text.length()) > MAX_AWAY_MESSAGE) {
            return "must be at most " + MAX_AWAY_MESSAGE + " characters";
        }
        return null;
    }

    public Preferences {
        if (emailDelay == null || emailDelay.compareTo(MIN_EMAIL_DELAY) < 0 || emailDelay.compareTo(MAX_EMAIL_DELAY) > 0) {
            throw ChatAppException.invalid("emailDelay", "must be between 1 minute and 24 hours");
        }
        if (timeZone == null) {
            throw ChatAppException.invalid("timeZone", "is required");
        }
        if ((quietFrom == null) != (quietUntil == null)) {
            throw ChatAppException.invalid("quietHours", "needs both a start and an end, or neither");
        }
        if ((hoursFrom == null) != (hoursUntil == null)) {
            throw ChatAppException.invalid("hours", "needs both a start and an end, or neither");
        }
        if (awayMessage != null && awayMessage.isBlank()) {
            awayMessage = null;
        }
        if (awayMessage != null && awayMessage.codePointCount(0, awayMessage.length()) > MAX_AWAY_MESSAGE) {
            throw ChatAppException.invalid("awayMessage", "must be at most " + MAX_AWAY_MESSAGE + " characters");
        }
        workDays = workDays == null || workDays.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(workDays));
    }

    /** Everything on, email after 15 minutes, UTC, no quiet hours, no away message, Monday to Friday. */
    public static Preferences defaults() {
        return new Preferences(true, true, true, DEFAULT_EMAIL_DELAY, ZoneId.of("UTC"), null, null,
                null, null, null, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    }

    /** These preferences with unread-message emails turned on or off (one-click unsubscribe). */
    public Preferences withEmail(boolean on) {
        return new Preferences(push, pushShowsSender, on, emailDelay, timeZone, quietFrom, quietUntil,
                awayMessage, hoursFrom, hoursUntil, workDays);
    }

    /** True if {@code at} falls within the quiet hours (nothing is sent then). */
    public boolean quietAt(Instant at) {
        return quietFrom != null && within(at.atZone(timeZone).toLocalTime(), quietFrom, quietUntil);
    }

    /**
     * The first instant at or after {@code at} outside the quiet hours: {@code at} itself if it is
     * not quiet. Daylight-saving gaps resolve as {@link ZonedDateTime#of} does (later offset).
     */
    public Instant quietEnds(Instant at) {
        if (!quietAt(at)) {
            return at;
        }
        ZonedDateTime local = at.atZone(timeZone);
        ZonedDateTime end = ZonedDateTime.of(local.toLocalDate(), quietUntil, timeZone);
        if (!end.toInstant().isAfter(at)) {
            end = ZonedDateTime.of(local.toLocalDate().plusDays(1), quietUntil, timeZone);
        }
        return end.toInstant();
    }

    /** True if a parent writing at {@code at} should see the away message. */
    public boolean awayAt(Instant at) {
        if (awayMessage == null) {
            return false;
        }
        ZonedDateTime local = at.atZone(timeZone);
        if (!workDays.contains(local.getDayOfWeek())) {
            return true;
        }
        return hoursFrom != null && !within(local.toLocalTime(), hoursFrom, hoursUntil);
    }

    private static boolean within(LocalTime t, LocalTime from, LocalTime until) {
        if (until.isAfter(from)) {
            return !t.isBefore(from) && t.isBefore(until);
        }
        return !t.isBefore(from) || t.isBefore(until);
    }
}
