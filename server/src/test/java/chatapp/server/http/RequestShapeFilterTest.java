package chatapp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Content-Type that {@link RequestShapeFilter} lets through without parsing: exactly JSON in
 * UTF-8, which the full checks would let through too; anything else takes the full checks.
 */
class RequestShapeFilterTest {

    @Test
    void onlyJsonInUtf8SkipsTheParser() {
        for (String plain : List.of("application/json", "Application/JSON", "application/json;charset=UTF-8",
                "application/json; charset=utf-8", "application/json ;  CHARSET=Utf-8")) {
            assertThat(RequestShapeFilter.plainJson(plain)).as(plain).isTrue();
            assertThat(RequestShapeFilter.contentTypeRefusal(plain)).as(plain).isNull();
        }
        for (String other : List.of("application/jsonx", "application/json;charset=ISO-8859-1",
                "application/json; charset=\"utf-8\"", "application/json; charset=utf-8; q=1", "application/json;",
                "application/json; charset=utf-16", "application/*", "text/plain", "application/json-patch+json",
                "application/json\tx")) {
            assertThat(RequestShapeFilter.plainJson(other)).as(other).isFalse();
        }
    }
}
