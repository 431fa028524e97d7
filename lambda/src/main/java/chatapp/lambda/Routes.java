package chatapp.lambda;

import chatapp.core.ErrorCode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.util.Map;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reading API Gateway's route events, writing its responses, closing its connections. */
final class Routes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Routes() {
    }

    /** A header as the client sent it, by case-insensitive name; null if absent. */
    static String header(APIGatewayV2WebSocketEvent event, String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** A query string parameter; null if absent. */
    static String query(APIGatewayV2WebSocketEvent event, String name) {
        Map<String, String> query = event.getQueryStringParameters();
        return query == null ? null : query.get(name);
    }

    static APIGatewayV2WebSocketResponse ok() {
        APIGatewayV2WebSocketResponse r = new APIGatewayV2WebSocketResponse();
        r.setStatusCode(200);
        return r;
    }

    /** A refusal as a problem document (API.md, "Conventions"); on $connect it refuses the handshake. */
    static APIGatewayV2WebSocketResponse problem(ErrorCode code, String detail) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "/problems/" + code.code());
        body.put("title", code.code().replace('_', ' '));
        body.put("status", code.status());
        body.put("detail", detail);
        body.put("code", code.code());
        APIGatewayV2WebSocketResponse r = new APIGatewayV2WebSocketResponse();
        r.setStatusCode(code.status());
        r.setHeaders(Map.of("Content-Type", "application/problem+json", "Cache-Control", "no-store"));
        r.setBody(JSON.writeValueAsString(body));
        return r;
    }

    /** Closes a connection at API Gateway (Management API {@code DeleteConnection}); one gone already is fine. */
    static void close(ApiGatewayManagementApiClient management, String connectionId) {
        try {
            management.deleteConnection(b -> b.connectionId(connectionId));
        } catch (GoneException e) {
            // closed meanwhile
        }
    }
}
