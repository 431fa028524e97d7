package chatapp.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a typed query becomes: folded words, and FTS5 syntax that holds nothing the user typed as syntax. */
class SearchQueryTest {

    @Test
    void wordsAreFoldedAndRepeatsDropped() {
        assertThat(SearchQuery.parse("  Café, CAFE; naïve—Zoë  ").words()).containsExactly("cafe", "naive", "zoe");
        assertThat(SearchQuery.parse("e\u0301cole").words()).containsExactly("ecole"); // decomposed accent
        assertThat(SearchQuery.parse("Ⅻ ½ ٣").words()).containsExactly("ⅻ", "½", "٣"); // numbers of every kind
    }

    @Test
    void theFts5QueryQuotesEveryWordAndPrefixesTheLast() {
        assertThat(SearchQuery.parse("\"she\" OR NEAR(door*").ftsQuery())
                .isEqualTo("\"she\" AND \"or\" AND \"near\" AND \"door\"*");
        assertThat(SearchQuery.parse("a\"b'c:d^e").ftsQuery()).isEqualTo("\"a\" AND \"b\" AND \"c\" AND \"d\" AND \"e\"*");
    }

    @Test
    void matchingAndRangesFollowTheSameWords() {
        SearchQuery q = SearchQuery.parse("thurs SESSION");
        assertThat(q.matches("Session on Thursday")).isFalse(); // "thurs" is not the last word: whole words only
        assertThat(SearchQuery.parse("session thurs").matches("Session on Thursday")).isTrue();
        assertThat(SearchQuery.parse("session thurs").matchesIn("Session on Thursday"))
                .containsExactly(new SearchQuery.Match(0, 7), new SearchQuery.Match(11, 19));
        assertThat(q.matches("")).isFalse();
        assertThat(q.matches(null)).isFalse();
    }
}
