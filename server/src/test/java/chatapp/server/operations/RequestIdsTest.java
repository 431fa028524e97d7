package chatapp.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The request-id rules without a regex (docs/operations.md, "Logs"). */
class RequestIdsTest {

    @Test
    void aFreshIdIsSixteenHexDigits() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(RequestIds.fresh()).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void aClientsIdIsKeptOnlyWhenPlain() {
        assertThat(RequestIds.plain("abc-DEF-0123456789")).isTrue();
        assertThat(RequestIds.plain("a".repeat(64))).isTrue();
        assertThat(RequestIds.plain("a".repeat(65))).isFalse();
        assertThat(RequestIds.plain("")).isFalse();
        for (String forged : new String[] {"a b", "a\nb", "a_b", "a.b", "a/b", "é", "a\u0000", "{\"x\":1}"}) {
            assertThat(RequestIds.plain(forged)).as(forged).isFalse();
        }
    }
}
