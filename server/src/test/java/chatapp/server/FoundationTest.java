package chatapp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server's skeleton over real HTTP: health, problem documents, OpenAPI. */
class FoundationTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void livenessAndReadinessAreUpAndReadinessIncludesTheStore() {
        HttpResponse<String> ready = server.get("/actuator/health/readiness", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"").contains("\"store\"");
        assertThat(server.get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anApiCallWithoutATokenIsA401ProblemDocument() {
        HttpResponse<String> r = server.get("/api/v1/users/me", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.body()).contains("\"code\":\"unauthorized\"").contains("\"status\":401").contains("\"detail\"");
    }

    @Test
    void anUnknownPathIsA404ProblemWithoutAStackTrace() {
        HttpResponse<String> r = server.get("/no/such/thing", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"code\":\"not_found\"").doesNotContain("Exception").doesNotContain("at chatapp");
    }

    @Test
    void theOpenApiDocumentIsPublished() {
        HttpResponse<String> r = server.get("/v3/api-docs", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"openapi\"");
        tools.jackson.databind.JsonNode info = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(r.body()).path("info");
        assertThat(info.path("title").asString()).isEqualTo("ChatApp API");
        assertThat(info.path("description").asString()).contains("parents and therapists");
        assertThat(info.path("version").asString()).as("the project version from the build")
                .matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void theOpenApiDocumentListsApiPathsButNotTheErrorPage() {
        tools.jackson.databind.JsonNode paths = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(server.get("/v3/api-docs", null).body()).path("paths");
        assertThat(paths.has("/api/v1/auth/login")).as(paths.toString()).isTrue();
        assertThat(paths.has("/error")).as("Boot's error page is not part of the API").isFalse();
    }
}
