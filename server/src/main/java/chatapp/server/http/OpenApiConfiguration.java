package chatapp.server.http;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's header ({@code /v3/api-docs}, API.md): ChatApp's name, what it is, and
 * the project version, which Maven writes into application.properties at build time.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI chatAppOpenApi(@Value("${chatapp.build.version:unknown}") String version) {
        return new OpenAPI().info(new Info()
                .title("ChatApp API")
                .version(version)
                .description("""
                        Messaging between parents and therapists: accounts, one conversation per \
                        parent-therapist pair, messages with photos and videos, read receipts, and a \
                        real-time WebSocket (POST /api/v1/realtime/tickets, then /ws). Errors are RFC 9457 \
                        problem documents with a stable `code`. The contract is API.md, version 1; the \
                        WebSocket frames are described in docs/protocol.md."""));
    }
}
