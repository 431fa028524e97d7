package chatapp.account;

import chatapp.core.FieldError;
import chatapp.core.TextRules;
import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The input rules of profiles (issue 21), each violation a field error naming what was found.
 * A display name is checked after NFKC normalisation (full-width and compatibility letters
 * become the letters they look like) and refused if it holds control or format characters
 * (bidirectional controls, zero-width characters) or letters of scripts that do not belong
 * together (UTS #39's "highly restrictive" level: a Latin name with a Cyrillic 'а' looks like
 * another name). The other fields follow the rules of message text, without bidirectional
 * controls (docs/decisions/0045-profiles.md).
 */
final class ProfileRules {

    /** Code points, after NFKC and stripping. */
    static final int DISPLAY_NAME_MAX = 64;
    static final int BIO_MAX = 1000;
    static final int CREDENTIALS_MAX = 200;
    static final int PRACTICE_MAX = 120;

    /** Scripts that may be mixed with one another (UTS #39, section 5.2, "Highly Restrictive"). */
    private static final List<Set<UnicodeScript>> ALLOWED_MIXES = List.of(
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.BOPOMOFO),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HANGUL));

    private ProfileRules() {
    }

    /**
     * The display name as stored (NFKC, stripped; "" clears it), or null with an error added.
     * {@code value} must not be null.
     */
    static String displayName(String value, List<FieldError> errors) {
        if (!AccountRules.unicode("displayName", value, errors)) {
            return null;
        }
        String name = Normalizer.normalize(value, Normalizer.Form.NFKC).strip();
        if (name.isEmpty()) {
            return "";
        }
        int invisible = firstInvisible(name);
        if (invisible >= 0) {
            errors.add(new FieldError("displayName", "must not contain control, direction or invisible characters "
                    + "(found " + TextRules.describe(invisible) + ")"));
            return null;
        }
        if (TextRules.isBlank(name)) {
            errors.add(new FieldError("displayName", "must show something (spaces and invisible characters alone "
                    + "do not count); send \"\" to remove it"));
            return null;
        }
        int length = name.codePointCount(0, name.length());
        if (length > DISPLAY_NAME_MAX) {
            errors.add(new FieldError("displayName", "must be at most " + DISPLAY_NAME_MAX + " characters"));
            return null;
        }
        Set<UnicodeScript> scripts = scripts(name);
        if (scripts.size() > 1 && ALLOWED_MIXES.stream().noneMatch(m -> m.containsAll(scripts))) {
            errors.add(new FieldError("displayName", "mixes scripts that look alike (" + names(scripts)
                    + "); use the letters of one script"));
            return null;
        }
        return name;
    }

    /** A therapist's free text: "" clears it; else at most {@code max} code points, as {@code lineBreaks} says. */
    static String text(String field, UserType type, String value, int max, boolean lineBreaks, List<FieldError> errors) {
        if (!AccountRules.unicode(field, value, errors)) {
            return null;
        }
        if (type != UserType.THERAPIST) {
            errors.add(new FieldError(field, "is only for therapists"));
            return null;
        }
        String text = Normalizer.normalize(value, Normalizer.Form.NFC).strip();
        if (text.isEmpty()) {
            return "";
        }
        int control = TextRules.firstControl(text, lineBreaks);
        if (control >= 0) {
            errors.add(new FieldError(field, "must not contain control characters" + (lineBreaks ? " other than line "
                    + "breaks" : " or line breaks") + " (found " + TextRules.describe(control) + ")"));
            return null;
        }
        int direction = text.codePoints().filter(TextRules::isDirectionControl).findFirst().orElse(-1);
        if (direction >= 0) {
            errors.add(new FieldError(field, "must not contain direction controls (found "
                    + TextRules.describe(direction) + ")"));
            return null;
        }
        if (TextRules.isBlank(text)) {
            errors.add(new FieldError(field, "must show something (spaces and invisible characters alone do not "
                    + "count); send \"\" to remove it"));
            return null;
        }
        if (text.codePointCount(0, text.length()) > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return null;
        }
        return text;
    }

    /**
     * The first character of {@code name} that shows nothing (docs/api.md, "Profiles"): controls,
     * format characters (direction marks, zero-width ones), the combining grapheme joiner U+034F,
     * variation selectors (U+FE00-FE0F, U+E0100-E01EF) except a text/emoji selector right after
     * an emoji (a phone keyboard's red heart is U+2764 U+FE0F), the Hangul fillers U+115F, U+1160,
     * U+3164, U+FFA0, the blank Braille pattern U+2800, and the line and paragraph separators
     * U+2028, U+2029 (a display name is one line); or -1.
     */
    static int firstInvisible(String name) {
        int previous = -1;
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            int type = Character.getType(c);
            boolean emojiSelector = (c == 0xFE0E || c == 0xFE0F) && previous > 0x7F && Character.isEmoji(previous);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || c == 0x034F
                    || (c >= 0xFE00 && c <= 0xFE0F && !emojiSelector) || (c >= 0xE0100 && c <= 0xE01EF)
                    || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800) {
                return c;
            }
            previous = c;
            i += Character.charCount(c);
        }
        return -1;
    }


    /** The scripts of the letters and marks, leaving out Common (digits, punctuation) and Inherited (combining marks). */
    private static Set<UnicodeScript> scripts(String s) {
        Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
        s.codePoints().forEach(c -> {
            UnicodeScript script = UnicodeScript.of(c);
            if (script != UnicodeScript.COMMON && script != UnicodeScript.INHERITED && script != UnicodeScript.UNKNOWN) {
                scripts.add(script);
            }
        });
        return scripts;
    }

    private static String names(Set<UnicodeScript> scripts) {
        Set<String> names = new TreeSet<>();
        for (UnicodeScript s : scripts) {
            String n = s.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            names.add(Character.toUpperCase(n.charAt(0)) + n.substring(1));
        }
        return String.join(" and ", names);
    }
}
