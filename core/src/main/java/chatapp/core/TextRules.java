package chatapp.core;

/**
 * Character rules that every text a user types must pass, shared by messages (chat) and account
 * fields (account): valid Unicode (no unpaired UTF-16 surrogate, which cannot be encoded as
 * UTF-8, crash password hashing and come back as U+FFFD), no control characters, and what counts
 * as blank when nothing would show.
 */
public final class TextRules {

    private TextRules() {
    }

    /** Whether {@code s} holds a high surrogate not followed by a low one, or a low one alone. */
    public static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first C0 or C1 control character (Unicode category Cc) in {@code s}, or -1; tab, line
     * feed and carriage return are let through when {@code lineBreaksAllowed}. NUL and friends
     * break terminals, logs and some clients' rendering.
     */
    public static int firstControl(String s, boolean lineBreaksAllowed) {
        return s.codePoints()
                .filter(c -> Character.getType(c) == Character.CONTROL
                        && !(lineBreaksAllowed && (c == '\t' || c == '\n' || c == '\r')))
                .findFirst().orElse(-1);
    }

    /**
     * The embeddings, overrides, isolates and marks that reorder what is shown (the "Trojan
     * Source" characters): U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C.
     */
    public static boolean isDirectionControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                || c == 0x061C;
    }

    /** U+0000 NUL, U+001B ESCAPE, ...: the code point and, where Java knows it, its name. */
    public static String describe(int codePoint) {
        String name = Character.getName(codePoint);
        return String.format("U+%04X", codePoint) + (name == null ? "" : " " + name);
    }

    /**
     * Whether nothing in {@code s} would show: only white space, format characters (category Cf:
     * zero-width space U+200B, ZWNJ/ZWJ U+200C/U+200D, word joiner U+2060, BOM U+FEFF, soft hyphen,
     * tags, ...), variation selectors, the combining grapheme joiner, and the fillers that render
     * as blanks (Hangul fillers, the blank Braille pattern). A ZWJ inside an emoji sequence is
     * fine: the emoji beside it is visible. The empty string is blank.
     */
    public static boolean isBlank(String s) {
        return s.codePoints().allMatch(TextRules::isInvisible);
    }

    private static boolean isInvisible(int c) {
        int type = Character.getType(c);
        return Character.isWhitespace(c) || Character.isSpaceChar(c)
                || type == Character.FORMAT || type == Character.CONTROL
                || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) // variation selectors
                || c == 0x034F // combining grapheme joiner
                || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 // Hangul fillers
                || c == 0x2800; // Braille pattern blank
    }
}
