package chatapp.chat;

import chatapp.core.ChatAppException;
import chatapp.core.TextRules;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a user searches for (docs/api.md, "Search"), turned into words and never passed on as
 * query syntax. A word is a run of letters, digits and combining marks (Unicode categories L*,
 * N*, Mn, Co), as SQLite's {@code unicode61} tokenizer splits text; everything else (quotes,
 * {@code *}, {@code NEAR(}, punctuation, emoji) only separates words. Words are compared folded:
 * canonical decomposition, combining marks removed, lower case ({@code unicode61
 * remove_diacritics 2}), so "Café" finds "cafe" and "CAFÉ". A message matches when it holds
 * every word, the last one as the start of a word (search as you type). Both stores apply these
 * rules: SQLite through {@link #ftsQuery()}, DynamoDB through {@link #matches(String)}.
 */
public final class SearchQuery {

    /** The longest {@code q} accepted, in UTF-16 code units. */
    public static final int MAX_LENGTH = 200;
    /** The most words one query may hold. */
    public static final int MAX_WORDS = 10;

    private final List<String> words;

    private SearchQuery(List<String> words) {
        this.words = List.copyOf(words);
    }

    /**
     * The query of the user's text {@code q}.
     *
     * @throws ChatAppException 400 {@code validation_failed} on field {@code q} if it is missing
     *     or blank, longer than {@link #MAX_LENGTH}, not valid Unicode, holds control characters,
     *     holds no word, or more than {@link #MAX_WORDS} words
     */
    public static SearchQuery parse(String q) {
        if (q == null || TextRules.isBlank(q)) {
            throw ChatAppException.invalid("q", "is required");
        }
        if (q.length() > MAX_LENGTH) {
            throw ChatAppException.invalid("q", "must be at most " + MAX_LENGTH + " characters");
        }
        if (TextRules.hasLoneSurrogate(q)) {
            throw ChatAppException.invalid("q", "must be valid Unicode");
        }
        int control = TextRules.firstControl(q, false);
        if (control >= 0) {
            throw ChatAppException.invalid("q", "must not contain " + TextRules.describe(control));
        }
        List<String> words = new ArrayList<>();
        for (Word w : words(q)) {
            if (!w.folded().isEmpty() && !words.contains(w.folded())) {
                words.add(w.folded());
            }
        }
        if (words.isEmpty()) {
            throw ChatAppException.invalid("q", "must contain a letter or a digit");
        }
        if (words.size() > MAX_WORDS) {
            throw ChatAppException.invalid("q", "must hold at most " + MAX_WORDS + " words");
        }
        return new SearchQuery(words);
    }

    /** The folded words, in the order typed, without repeats; the last one matches as a prefix. */
    public List<String> words() {
        return words;
    }

    /**
     * The query in FTS5's syntax: each word as a quoted string (a word holds no quote, so nothing
     * the user typed is read as syntax), the last one with {@code *} (prefix), joined by AND.
     */
    public String ftsQuery() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                b.append(" AND ");
            }
            b.append('"').append(words.get(i)).append('"');
            if (i == words.size() - 1) {
                b.append('*');
            }
        }
        return b.toString();
    }

    /** Whether a message with this text matches: it holds every word, the last as a word's start. */
    public boolean matches(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        List<Word> tokens = words(text);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            boolean prefix = i == words.size() - 1;
            if (tokens.stream().noneMatch(t -> hits(t.folded(), word, prefix))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the words occur in {@code text}: each matching word of the text as a half-open range
     * of UTF-16 code unit offsets (JavaScript's string indices), in text order, without overlap.
     */
    public List<Match> matchesIn(String text) {
        List<Match> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        for (Word t : words(text)) {
            for (int i = 0; i < words.size(); i++) {
                if (hits(t.folded(), words.get(i), i == words.size() - 1)) {
                    found.add(new Match(t.start(), t.end()));
                    break;
                }
            }
        }
        return found;
    }

    /** A canonical form of the query, for binding a cursor to it. */
    public String canonical() {
        return String.join(" ", words);
    }

    private static boolean hits(String token, String word, boolean prefix) {
        return prefix ? token.startsWith(word) : token.equals(word);
    }

    /** One matching word of a text: UTF-16 offsets, {@code start} inclusive, {@code end} exclusive. */
    public record Match(int start, int end) {
    }

    private record Word(int start, int end, String folded) {
    }

    /** The words of {@code text} with their offsets, as {@code unicode61} splits it. */
    private static List<Word> words(String text) {
        List<Word> found = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!wordCharacter(cp) || Character.getType(cp) == Character.NON_SPACING_MARK) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < n && wordCharacter(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            found.add(new Word(start, i, fold(text.substring(start, i))));
        }
        return found;
    }

    private static boolean wordCharacter(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.PRIVATE_USE,
                    Character.NON_SPACING_MARK -> true;
            default -> false;
        };
    }

    /** Case and diacritics folded: NFD, combining marks removed, lower case. */
    static String fold(String word) {
        String decomposed = Normalizer.normalize(word, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(decomposed.length());
        decomposed.codePoints().filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
                .forEach(b::appendCodePoint);
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
