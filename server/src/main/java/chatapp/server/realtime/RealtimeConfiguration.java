package chatapp.server.realtime;

import chatapp.aws.ApiGatewayFanOut;
import chatapp.aws.DynamoConnectionStore;
import chatapp.aws.DynamoSettings;
import chatapp.aws.DynamoTicketStore;
import chatapp.chat.ChatService;
import chatapp.core.Ids;
import chatapp.embedded.SqliteConnectionStore;
import chatapp.embedded.SqliteDatabase;
import chatapp.embedded.SqliteTicketStore;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.Connections;
import chatapp.realtime.FrameHandler;
import chatapp.realtime.Frames;
import chatapp.realtime.RealtimeEvents;
import chatapp.realtime.TicketStore;
import chatapp.realtime.Tickets;
import chatapp.server.ChatAppProperties;
import chatapp.server.OwnHost;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real-time wiring: tickets and connection records on the configured store, always (the API
 * Gateway shape checks the same tickets); the built-in gateway at {@code /ws} with its
 * in-memory fan-out when {@code chatapp.realtime=builtin} (the default). Raw WebSocket, no STOMP.
 */
@Configuration(proxyBeanMethods = false)
class RealtimeConfiguration {

    @Bean
    Tickets tickets(TicketStore store, Clock clock) {
        return new Tickets(store, clock);
    }

    @Bean
    Connections connections(ConnectionStore store, Clock clock) {
        return new Connections(store, clock);
    }

    /** The endpoint {@code /ws}, from the built-in gateway's beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.realtime", havingValue = "builtin", matchIfMissing = true)
    @EnableWebSocket
    static class Endpoint implements WebSocketConfigurer {

        private final Gateway gateway;
        private final HandshakeRules handshakeRules;

        Endpoint(Gateway gateway, HandshakeRules handshakeRules) {
            this.gateway = gateway;
            this.handshakeRules = handshakeRules;
        }

        @Override
        public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
            // Origins are checked by HandshakeRules (problem documents, ticket kept on refusal).
            registry.addHandler(gateway, Gateway.PATH).addInterceptors(handshakeRules).setAllowedOriginPatterns("*");
        }
    }

    /** The built-in gateway: sockets held by this server, fan-out in memory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.realtime", havingValue = "builtin", matchIfMissing = true)
    static class Builtin {

        @Bean
        Frames frames(JsonMapper json) {
            return new Frames(json);
        }

        @Bean
        BuiltinFanOut builtinFanOut(Frames frames) {
            return new BuiltinFanOut(frames);
        }

        @Bean
        Gateway gateway(Connections connections, RealtimeEvents events, BuiltinFanOut fanOut, Frames frames,
                FrameHandler frameHandler, RealtimeProperties limits, Clock clock) {
            return new Gateway(connections, events, fanOut, frames, frameHandler, limits, clock, nodeName());
        }

        /** What a client frame means: the same handler as the Lambda's {@code $default}. */
        @Bean
        FrameHandler frameHandler(ChatService chat, RealtimeEvents events, Frames frames, RealtimeProperties limits) {
            return new FrameHandler(chat, events, frames, limits.typingInterval());
        }

        /** Who hears about what; the API Gateway shape wires the same with its own fan-out. */
        @Bean
        RealtimeEvents realtimeEvents(BuiltinFanOut fanOut, ChatService chat) {
            return new RealtimeEvents(fanOut, chat);
        }

        /** Chat events (REST and WebSocket alike) reach the sockets through the fan-out. */
        @Bean
        ChatFanOut chatFanOut(RealtimeEvents events) {
            return new ChatFanOut(events);
        }

        @Bean
        HandshakeRules handshakeRules(Tickets tickets, ChatAppProperties properties, OwnHost ownHost, JsonMapper json) {
            return new HandshakeRules(tickets, properties.allowedOrigins(), ownHost, json);
        }

        @Bean
        FilterRegistrationBean<TicketFilter> ticketFilter() {
            FilterRegistrationBean<TicketFilter> bean = new FilterRegistrationBean<>(new TicketFilter());
            bean.addUrlPatterns(Gateway.PATH);
            bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return bean;
        }

        /**
         * Tomcat's per-connection buffers: small, because each costs memory on every idle
         * connection; longer frames arrive in parts (Gateway assembles them up to 64 KiB).
         */
        @Bean
        ServletServerContainerFactoryBean webSocketContainer() {
            ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
            container.setMaxTextMessageBufferSize(1024);
            container.setMaxBinaryMessageBufferSize(1024);
            return container;
        }

        /** builtin:host/random: where this process holds its sockets (WebSocketConnections.heldBy). */
        private static String nodeName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
            return "builtin:" + host + "/" + Ids.random().substring(0, 8);
        }
    }

    /**
     * The API Gateway shape ({@code chatapp.realtime=apigateway}): no {@code /ws} here; API
     * Gateway holds the sockets and the Lambda handlers answer their frames. Tickets name
     * {@code CHATAPP_WEBSOCKET_URL}, and events of REST sends and reads reach the sockets through
     * {@code postToConnection} ({@link ApiGatewayFanOut}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.realtime", havingValue = "apigateway")
    static class ApiGateway {

        @Bean
        Frames frames(JsonMapper json) {
            return new Frames(json);
        }

        @Bean(destroyMethod = "close")
        ApiGatewayManagementApiClient managementApi(ChatAppProperties properties) {
            return ApiGatewayFanOut.client(endpoint(properties));
        }

        @Bean
        ApiGatewayFanOut apiGatewayFanOut(Connections connections, ApiGatewayManagementApiClient client, Frames frames,
                ChatAppProperties properties) {
            return new ApiGatewayFanOut(connections, endpoint(properties), () -> client, frames::encode);
        }

        @Bean
        RealtimeEvents realtimeEvents(ApiGatewayFanOut fanOut, ChatService chat) {
            return new RealtimeEvents(fanOut, chat);
        }

        @Bean
        ChatFanOut chatFanOut(RealtimeEvents events) {
            return new ChatFanOut(events);
        }

        private static URI endpoint(ChatAppProperties properties) {
            if (properties.apigatewayEndpoint() == null) {
                throw new IllegalStateException("chatapp.realtime=apigateway needs CHATAPP_APIGATEWAY_ENDPOINT (the "
                        + "WebSocket API's Management API endpoint, https://{api-id}.execute-api.{region}.amazonaws.com/{stage})");
            }
            return properties.apigatewayEndpoint();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.store", havingValue = "sqlite", matchIfMissing = true)
    static class Sqlite {
        @Bean
        TicketStore ticketStore(SqliteDatabase db, Clock clock) {
            return new SqliteTicketStore(db, clock);
        }

        @Bean
        ConnectionStore connectionStore(SqliteDatabase db, Clock clock) {
            return new SqliteConnectionStore(db, clock);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.store", havingValue = "dynamodb")
    static class Dynamo {
        @Bean
        TicketStore ticketStore(DynamoDbClient client, DynamoSettings settings) {
            return new DynamoTicketStore(client, settings);
        }

        @Bean
        ConnectionStore connectionStore(DynamoDbClient client, DynamoSettings settings) {
            return new DynamoConnectionStore(client, settings);
        }
    }
}
