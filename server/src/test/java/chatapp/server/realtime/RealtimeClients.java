package chatapp.server.realtime;

import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import java.net.URI;
import java.net.http.HttpResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * WebSocket clients the way a real client connects: a ticket from
 * {@code POST /api/v1/realtime/tickets} with the account's access token, then the {@code url}
 * it names.
 */
public final class RealtimeClients {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RealtimeClients() {
    }

    /** The {@code url} of a fresh ticket for {@code session}. */
    public static URI ticketUrl(RunningServer server, TestAccounts.Session session) {
        HttpResponse<String> r = server.post("/api/v1/realtime/tickets", "", session.accessToken());
        if (r.statusCode() != 201) {
            throw new AssertionError("ticket answered " + r.statusCode() + ": " + r.body());
        }
        return URI.create(JSON.readTree(r.body()).path("url").asString());
    }

    /** A connected client whose {@code hello} has been read. */
    public static WsClient connect(RunningServer server, TestAccounts.Session session) {
        WsClient c = WsClient.connect(ticketUrl(server, session), null);
        c.next("hello");
        return c;
    }
}
