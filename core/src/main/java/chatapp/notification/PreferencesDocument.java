package chatapp.notification;

import chatapp.core.ChatAppException;
import chatapp.core.FieldError;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Preferences} as JSON (docs/api.md, "Notification preferences"): the body of
 * {@code GET} and {@code PUT /users/me/preferences}, and what both stores keep. Times are
 * {@code HH:MM} (24 h) in {@code timeZone}, an IANA id; {@code emailDelay} is in minutes;
 * {@code workDays} are {@code MON} to {@code SUN}; a null pair of times means none.
 */
public record PreferencesDocument(Boolean push, Boolean pushShowsSender, Boolean email, Integer emailDelay,
        String timeZone, String quietFrom, String quietUntil, String awayMessage, String hoursFrom,
        String hoursUntil, List<String> workDays) {

    private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("HH:mm");
    private static final List<String> DAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The stored form (both stores keep this JSON text, docs/data-model.md). */
    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** Preferences from their stored form ({@link #toJson}). */
    public static Preferences fromJson(String json) {
        return JSON.readValue(json, PreferencesDocument.class).toPreferences(true);
    }

    /** The document of {@code p}. */
    public static PreferencesDocument of(Preferences p) {
        return new PreferencesDocument(p.push(), p.pushShowsSender(), p.email(), (int) p.emailDelay().toMinutes(),
                p.timeZone().getId(), time(p.quietFrom()), time(p.quietUntil()), p.awayMessage(), time(p.hoursFrom()),
                time(p.hoursUntil()), p.workDays().stream().sorted().map(d -> DAYS.get(d.getValue() - 1)).toList());
    }

    /**
     * The preferences this document states, every field checked; all invalid fields are named at
     * once.
     *
     * @param mayBeAway whether the user may have an away message and stated hours (therapists)
     * @throws ChatAppException validation_failed with one error per invalid field
     */
    public Preferences toPreferences(boolean mayBeAway) {
        List<FieldError> errors = new ArrayList<>();
        for (var required : List.of(new Object[] {"push", push}, new Object[] {"pushShowsSender", pushShowsSender},
                new Object[] {"email", email}, new Object[] {"emailDelay", emailDelay},
                new Object[] {"timeZone", timeZone})) {
            if (required[1] == null) {
                errors.add(new FieldError((String) required[0], "is required"));
            }
        }
        Duration delay = null;
        if (emailDelay != null) {
            delay = Duration.ofMinutes(emailDelay);
            if (delay.compareTo(Preferences.MIN_EMAIL_DELAY) < 0 || delay.compareTo(Preferences.MAX_EMAIL_DELAY) > 0) {
                errors.add(new FieldError("emailDelay", "must be between 1 and 1440 minutes"));
            }
        }
        ZoneId zone = null;
        if (timeZone != null) {
            if (ZoneId.getAvailableZoneIds().contains(timeZone)) {
                zone = ZoneId.of(timeZone);
            } else {
                errors.add(new FieldError("timeZone", "must be an IANA time zone such as Europe/Oslo"));
            }
        }
        LocalTime qFrom = time("quietFrom", quietFrom, errors);
        LocalTime qUntil = time("quietUntil", quietUntil, errors);
        if ((quietFrom == null) != (quietUntil == null)) {
            errors.add(new FieldError(quietFrom == null ? "quietFrom" : "quietUntil",
                    "quiet hours need both a start and an end, or neither"));
        }
        LocalTime hFrom = time("hoursFrom", hoursFrom, errors);
        LocalTime hUntil = time("hoursUntil", hoursUntil, errors);
        if ((hoursFrom == null) != (hoursUntil == null)) {
            errors.add(new FieldError(hoursFrom == null ? "hoursFrom" : "hoursUntil",
                    "stated hours need both a start and an end, or neither"));
        }
        String away = awayMessage == null || awayMessage.isBlank() ? null : awayMessage.strip();
        if (!mayBeAway && away != null) {
            errors.add(new FieldError("awayMessage", "only therapists have an away message"));
        }
        if (!mayBeAway && hoursFrom != null) {
            errors.add(new FieldError("hoursFrom", "only therapists state their hours"));
        }
        String awayProblem = away == null ? null : Preferences.awayMessageProblem(away);
        if (awayProblem != null) {
            errors.add(new FieldError("awayMessage", awayProblem));
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (workDays != null) {
            for (String d : workDays) {
                int i = d == null ? -1 : DAYS.indexOf(d.toUpperCase(Locale.ROOT));
                if (i < 0) {
                    errors.add(new FieldError("workDays", "days are MON, TUE, WED, THU, FRI, SAT or SUN"));
                    break;
                }
                days.add(DayOfWeek.of(i + 1));
            }
        } else {
            days = Preferences.defaults().workDays().isEmpty() ? days : EnumSet.copyOf(Preferences.defaults().workDays());
        }
        if (!errors.isEmpty()) {
            throw ChatAppException.invalid(errors);
        }
        return new Preferences(push, pushShowsSender, email, delay, zone, qFrom, qUntil, away, hFrom, hUntil, days);
    }

    private static LocalTime time(String field, String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (!HH_MM.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be a time as HH:MM (00:00 to 23:59)"));
            return null;
        }
        try {
            return LocalTime.parse(value, FORMAT);
        } catch (DateTimeException e) {
            errors.add(new FieldError(field, "must be a time as HH:MM (00:00 to 23:59)"));
            return null;
        }
    }

    private static String time(LocalTime t) {
        return t == null ? null : t.format(FORMAT);
    }
}
