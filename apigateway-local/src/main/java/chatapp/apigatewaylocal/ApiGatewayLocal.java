package chatapp.apigatewaylocal;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for Amazon API Gateway's WebSocket API and for Lambda's asynchronous invoke,
 * so that the AWS shape runs end to end on one machine (docs/architecture.md, "Real-time in two
 * shapes"). It holds real WebSockets on any path and calls the route handlers in-process with
 * real {@link APIGatewayV2WebSocketEvent}s, as API Gateway's {@code AWS_PROXY} integration does:
 * <ul>
 *   <li>{@code $connect} before the handshake completes: a status other than 200 refuses the
 *       handshake with that status;</li>
 *   <li>{@code $default} for each text message (one at a time per connection; its response body
 *       is not sent back, as without a route response; a handler that throws makes the client get
 *       API Gateway's {@code Internal server error} message);</li>
 *   <li>{@code $disconnect} after the socket closed, whoever closed it.</li>
 * </ul>
 * It serves the Management API at {@code /@connections/{connectionId}}: {@code POST} sends the
 * body as a text frame, {@code GET} describes the connection, {@code DELETE} closes it; an
 * unknown or not yet established connection answers 410 {@code GoneException}, like API Gateway
 * (which refuses posts until {@code $connect} has returned). And it accepts Lambda's
 * {@code Invoke} with {@code X-Amz-Invocation-Type: Event} at
 * {@code /2015-03-31/functions/{name}/invocations}: 202, then the function runs on its own
 * thread. Limits as API Gateway's: 128 KiB per message (close 1009), 10 minutes idle.
 * Authentication of callers (SigV4, IAM) is not checked.
 */
public final class ApiGatewayLocal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiGatewayLocal.class);

    /** API Gateway's WebSocket message payload limit (AWS quotas: 128 KB). */
    static final int MAX_MESSAGE_BYTES = 128 * 1024;
    /** API Gateway's idle connection timeout. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    private static final String CONNECTIONS = "/@connections/";
    private static final String INVOCATIONS = "/2015-03-31/functions/";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /**
     * What the harness calls: the three route handlers, and the functions that may be invoked
     * asynchronously by name.
     */
    public record Functions(RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> connect,
            RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> disconnect,
            RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> defaultRoute,
            Map<String, RequestStreamHandler> invocable) {
        public Functions {
            Objects.requireNonNull(connect);
            Objects.requireNonNull(disconnect);
            Objects.requireNonNull(defaultRoute);
            invocable = Map.copyOf(invocable);
        }
    }

    private final Tomcat tomcat;
    private final Map<String, Held> connections = new ConcurrentHashMap<>();
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private final SecureRandom random = new SecureRandom();
    private final URI endpoint;
    private volatile Functions functions;
    /** Open once {@link #functions} is set: requests that come earlier wait for it. */
    private final CountDownLatch ready = new CountDownLatch(1);

    private ApiGatewayLocal(Tomcat tomcat, URI endpoint) {
        this.tomcat = tomcat;
        this.endpoint = endpoint;
    }

    /**
     * Starts the harness on {@code port} (0 for a free one) of the loopback interface, or of
     * every interface if {@code host} is {@code 0.0.0.0}.
     *
     * @param functions given the harness's own base URL (the Management API endpoint and the
     *     Lambda endpoint the handlers must use), the functions to call
     * @throws IllegalStateException if it cannot listen on the port
     */
    public static ApiGatewayLocal start(String host, int port, Function<URI, Functions> functions) {
        Tomcat tomcat = new Tomcat();
        try {
            tomcat.setBaseDir(Files.createTempDirectory("chatapp-apigateway-local").toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory", e);
        }
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", host);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        if (context instanceof StandardContext standard) {
            // Leak detection is for redeployed web apps; this context lives as long as the JVM.
            standard.setClearReferencesThreadLocals(false);
            standard.setClearReferencesRmiTargets(false);
        }
        context.addServletContainerInitializer(new WsSci(), null);
        ApiGatewayLocal[] self = new ApiGatewayLocal[1];
        Tomcat.addServlet(context, "apigateway", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                self[0].serve(req, resp);
            }
        });
        context.addServletMappingDecoded("/", "apigateway");
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException("cannot start the API Gateway harness on port " + port + ": " + e.getMessage(), e);
        }
        if (connector.getState() != LifecycleState.STARTED) {
            // Tomcat logs a port it cannot bind and carries on without the connector.
            close(tomcat);
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " (in use?)");
        }
        ServerContainer container = (ServerContainer) context.getServletContext().getAttribute(ServerContainer.class.getName());
        container.setDefaultMaxTextMessageBufferSize(MAX_MESSAGE_BYTES);
        container.setDefaultMaxSessionIdleTimeout(IDLE_TIMEOUT.toMillis());
        String address = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        ApiGatewayLocal harness = new ApiGatewayLocal(tomcat, URI.create("http://" + address + ":" + connector.getLocalPort()));
        self[0] = harness;
        harness.functions = functions.apply(harness.endpoint);
        harness.ready.countDown();
        log.info("API Gateway harness on {}: WebSockets at ws://{}:{}/, Management API at {}/@connections",
                harness.endpoint, address, connector.getLocalPort(), harness.endpoint);
        return harness;
    }

    /** {@code http://host:port}: the Management API endpoint and the Lambda endpoint. */
    public URI endpoint() {
        return endpoint;
    }

    /** {@code ws://host:port/}: where clients connect ({@code CHATAPP_WEBSOCKET_URL}). */
    public URI websocketUrl() {
        return URI.create("ws://" + endpoint.getAuthority() + "/");
    }

    /** Connections currently held (established, not yet closed). */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        for (Held held : List.copyOf(connections.values())) {
            held.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "harness stopping"));
        }
        close(tomcat);
        work.shutdown();
    }

    private static void close(Tomcat tomcat) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            log.warn("stopping the harness: {}", e.getMessage());
        }
    }

    private void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                error(resp, 503, "ServiceUnavailableException", "the harness is still starting");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        String path = req.getRequestURI();
        if (path.startsWith(CONNECTIONS)) {
            management(req, resp, URLDecoder.decode(path.substring(CONNECTIONS.length()), StandardCharsets.UTF_8));
        } else if (path.startsWith(INVOCATIONS) && path.endsWith("/invocations") && req.getMethod().equals("POST")) {
            invoke(req, resp, URLDecoder.decode(
                    path.substring(INVOCATIONS.length(), path.length() - "/invocations".length()), StandardCharsets.UTF_8));
        } else if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade")) && req.getMethod().equals("GET")) {
            handshake(req, resp);
        } else {
            error(resp, 403, "ForbiddenException", "Forbidden");
        }
    }

    // ------------------------------------------------------------------ WebSocket side

    private void handshake(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] id = new byte[11];
        random.nextBytes(id);
        // API Gateway's ids look like "L0SM9cOFvHcCIhw=": base64 with its padding, which clients
        // must URL-encode. The URL-safe alphabet keeps '/' out of the path.
        String connectionId = Base64.getUrlEncoder().encodeToString(id);
        long connectedAt = System.currentTimeMillis();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            List<String> values = Collections.list(req.getHeaders(name));
            String canonical = canonicalHeader(name);
            headers.put(canonical, values.getFirst());
            multiHeaders.put(canonical, values);
        }
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, List<String>> multiQuery = new LinkedHashMap<>();
        req.getParameterMap().forEach((k, v) -> {
            query.put(k, v[v.length - 1]);
            multiQuery.put(k, List.of(v));
        });
        Identity identity = new Identity(req.getRemoteAddr(), req.getHeader("User-Agent"));

        APIGatewayV2WebSocketEvent event = event("$connect", "CONNECT", connectionId, connectedAt, identity);
        event.setHeaders(headers);
        event.setMultiValueHeaders(multiHeaders);
        if (!query.isEmpty()) {
            event.setQueryStringParameters(query);
            event.setMultiValueQueryStringParameters(multiQuery);
        }
        APIGatewayV2WebSocketResponse answer;
        try {
            answer = functions.connect().handleRequest(event, new LocalContext("connect"));
        } catch (RuntimeException e) {
            log.error("$connect handler failed", e);
            error(resp, 500, "InternalServerErrorException", "Internal server error");
            return;
        }
        int status = answer == null ? 200 : answer.getStatusCode();
        if (status < 200 || status > 299) {
            resp.setStatus(status);
            resp.setContentType("application/json");
            resp.getWriter().write(answer.getBody() == null ? "" : answer.getBody());
            return;
        }
        ServerContainer container = (ServerContainer) req.getServletContext().getAttribute(ServerContainer.class.getName());
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(Connection.class, req.getRequestURI())
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(new Connection(connectionId, connectedAt, identity));
                    }
                })
                .build();
        try {
            container.upgradeHttpToWebSocket(req, resp, config, Map.of());
        } catch (jakarta.websocket.DeploymentException e) {
            throw new IOException(e);
        }
    }

    private record Identity(String sourceIp, String userAgent) {
    }

    /** A socket held for a client, between its $connect and its $disconnect. */
    private final class Held {
        final Session session;
        final long connectedAt;
        final Identity identity;
        volatile long lastActiveAt;

        Held(Session session, long connectedAt, Identity identity) {
            this.session = session;
            this.connectedAt = connectedAt;
            this.identity = identity;
            this.lastActiveAt = connectedAt;
        }

        synchronized void send(String text) throws IOException {
            session.getBasicRemote().sendText(text);
        }

        void close(CloseReason reason) {
            try {
                session.close(reason);
            } catch (IOException e) {
                log.debug("closing {}: {}", session.getId(), e.getMessage());
            }
        }
    }

    /** The endpoint of one connection: feeds its messages to $default, its close to $disconnect. */
    private final class Connection extends Endpoint {
        private final String connectionId;
        private final long connectedAt;
        private final Identity identity;

        Connection(String connectionId, long connectedAt, Identity identity) {
            this.connectionId = connectionId;
            this.connectedAt = connectedAt;
            this.identity = identity;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Held held = new Held(session, connectedAt, identity);
            connections.put(connectionId, held);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> onText(held, text));
            // As API Gateway: binary frames are not accepted; the connection is closed with 1003
            // (and, unlike Tomcat's own refusal, $disconnect runs).
            session.addMessageHandler(java.nio.ByteBuffer.class, (MessageHandler.Partial<java.nio.ByteBuffer>) (part, last) ->
                    held.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "binary frames are not supported")));
        }

        private void onText(Held held, String text) {
            held.lastActiveAt = System.currentTimeMillis();
            APIGatewayV2WebSocketEvent event = event("$default", "MESSAGE", connectionId, connectedAt, identity);
            event.getRequestContext().setMessageId(UUID.randomUUID().toString());
            event.setBody(text);
            try {
                functions.defaultRoute().handleRequest(event, new LocalContext("default"));
            } catch (RuntimeException e) {
                log.error("$default handler failed", e);
                try {
                    held.send("{\"message\": \"Internal server error\", \"connectionId\":\"" + connectionId
                            + "\", \"requestId\":\"" + event.getRequestContext().getRequestId() + "\"}");
                } catch (IOException ignored) {
                    // the client is gone; $disconnect follows
                }
            }
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            if (connections.remove(connectionId) == null) {
                return;
            }
            APIGatewayV2WebSocketEvent event = event("$disconnect", "DISCONNECT", connectionId, connectedAt, identity);
            event.getRequestContext().setStatus(Integer.toString(reason.getCloseCode().getCode()));
            work.execute(() -> {
                try {
                    functions.disconnect().handleRequest(event, new LocalContext("disconnect"));
                } catch (RuntimeException e) {
                    log.error("$disconnect handler failed", e);
                }
            });
        }

        @Override
        public void onError(Session session, Throwable thr) {
            log.debug("connection {}: {}", connectionId, thr.toString());
        }
    }

    private APIGatewayV2WebSocketEvent event(String routeKey, String eventType, String connectionId, long connectedAt,
            Identity identity) {
        long now = System.currentTimeMillis();
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey(routeKey);
        context.setEventType(eventType);
        context.setConnectionId(connectionId);
        context.setConnectedAt(connectedAt);
        context.setRequestId(UUID.randomUUID().toString());
        context.setExtendedRequestId(context.getRequestId());
        context.setRequestTimeEpoch(now);
        context.setRequestTime(REQUEST_TIME.format(Instant.ofEpochMilli(now)));
        context.setMessageDirection("IN");
        context.setDomainName(endpoint.getAuthority());
        context.setStage("local");
        context.setApiId("local");
        APIGatewayV2WebSocketEvent.RequestIdentity who = new APIGatewayV2WebSocketEvent.RequestIdentity();
        who.setSourceIp(identity.sourceIp());
        who.setUserAgent(identity.userAgent());
        context.setIdentity(who);
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        event.setRequestContext(context);
        event.setIsBase64Encoded(false);
        return event;
    }

    /** API Gateway hands headers to the integration as the client sent them; Tomcat lower-cases. */
    private static String canonicalHeader(String name) {
        StringBuilder b = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            b.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ Management API side

    private void management(HttpServletRequest req, HttpServletResponse resp, String connectionId) throws IOException {
        Held held = connections.get(connectionId);
        if (held == null || !held.session.isOpen()) {
            error(resp, 410, "GoneException", "");
            return;
        }
        switch (req.getMethod()) {
            case "POST" -> {
                byte[] data = req.getInputStream().readAllBytes();
                if (data.length > MAX_MESSAGE_BYTES) {
                    error(resp, 413, "PayloadTooLargeException", "Message too long");
                    return;
                }
                try {
                    held.send(new String(data, StandardCharsets.UTF_8));
                } catch (IOException | IllegalStateException e) {
                    error(resp, 410, "GoneException", "");
                    return;
                }
                resp.setStatus(200);
            }
            case "GET" -> {
                resp.setStatus(200);
                resp.setContentType("application/json");
                resp.getWriter().write("{\"connectedAt\":\"" + Instant.ofEpochMilli(held.connectedAt)
                        + "\",\"lastActiveAt\":\"" + Instant.ofEpochMilli(held.lastActiveAt)
                        + "\",\"identity\":{\"sourceIp\":\"" + held.identity.sourceIp()
                        + "\",\"userAgent\":\"" + jsonEscape(String.valueOf(held.identity.userAgent())) + "\"}}");
            }
            case "DELETE" -> {
                held.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
                resp.setStatus(204);
            }
            default -> error(resp, 405, "MethodNotAllowedException", "");
        }
    }

    // ------------------------------------------------------------------ Lambda Invoke side

    private void invoke(HttpServletRequest req, HttpServletResponse resp, String name) throws IOException {
        String functionName = name.contains(":") ? name.substring(name.lastIndexOf(':') + 1) : name;
        RequestStreamHandler function = functions.invocable().get(functionName);
        if (function == null) {
            error(resp, 404, "ResourceNotFoundException", "Function not found: " + name);
            return;
        }
        if (!"Event".equals(req.getHeader("X-Amz-Invocation-Type"))) {
            error(resp, 400, "InvalidRequestContentException", "this harness runs asynchronous (Event) invocations only");
            return;
        }
        byte[] payload = req.getInputStream().readAllBytes();
        work.execute(() -> {
            try {
                function.handleRequest(new ByteArrayInputStream(payload), new ByteArrayOutputStream(),
                        new LocalContext(functionName));
            } catch (IOException | RuntimeException e) {
                log.error("function {} failed", functionName, e);
            }
        });
        resp.setStatus(202);
        resp.setHeader("X-Amz-Request-Id", UUID.randomUUID().toString());
    }

    private static void error(HttpServletResponse resp, int status, String type, String message) throws IOException {
        resp.setStatus(status);
        resp.setHeader("x-amzn-ErrorType", type);
        resp.setContentType("application/json");
        resp.getWriter().write("{\"message\":\"" + jsonEscape(message) + "\"}");
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
