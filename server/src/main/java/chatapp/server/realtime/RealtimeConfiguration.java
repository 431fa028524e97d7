package chatapp.server.realtime;

import chatapp.account.Sessions;
import chatapp.chat.ChatService;
import chatapp.core.Ids;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.Connections;
import chatapp.realtime.FanOut;
import chatapp.realtime.FrameHandler;
import chatapp.realtime.Frames;
import chatapp.realtime.RealtimeEvents;
import chatapp.realtime.TicketStore;
import chatapp.realtime.Tickets;
import chatapp.server.ChatAppProperties;
import chatapp.server.security.OwnHost;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real-time wiring: tickets and connection records on the shape's store, always (the API
 * Gateway shape checks the same tickets); who hears about what ({@link RealtimeEvents}) through
 * whichever fan-out runs: the built-in gateway's at {@code /ws}, in memory, when
 * {@code chatapp.realtime=builtin} (the default), or API Gateway's, which the shape
 * configuration makes when {@code chatapp.realtime=apigateway} (no {@code /ws} here then; the
 * Lambda handlers answer the frames and tickets name {@code CHATAPP_WEBSOCKET_URL}).
 * Raw WebSocket, no STOMP.
 */
@Configuration(proxyBeanMethods = false)
class RealtimeConfiguration {

    /**
     * Tickets of live sessions only (docs/security.md, "Sessions"), checked in the store at each
     * redemption: exact in every process, one read per connection.
     */
    @Bean
    Tickets tickets(TicketStore store, Clock clock, Sessions sessions) {
        return new Tickets(store, clock, sessions::liveNow);
    }

    @Bean
    Connections connections(ConnectionStore store, Clock clock) {
        return new Connections(store, clock);
    }

    @Bean
    Frames frames(JsonMapper json) {
        return new Frames(json);
    }

    /** Who hears about what, through the one fan-out of this shape. */
    @Bean
    RealtimeEvents realtimeEvents(FanOut fanOut, ChatService chat) {
        return new RealtimeEvents(fanOut, chat);
    }

    /** Chat events (REST and WebSocket alike) reach the sockets through the fan-out. */
    @Bean
    ChatFanOut chatFanOut(RealtimeEvents events) {
        return new ChatFanOut(events);
    }

    /** The sockets of every session this process ends are closed, in either shape. */
    @Bean
    SessionFanOut sessionFanOut(RealtimeEvents events) {
        return new SessionFanOut(events);
    }

    /**
     * The endpoint {@code /ws}, from the built-in gateway's beans, when
     * {@code chatapp.realtime=builtin}. Checked here, not by a condition, for Spring's AOT
     * processing (docs/decisions/0058-spring-aot.md): the beans exist in both shapes, the
     * endpoint only in this one.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableWebSocket
    static class Endpoint implements WebSocketConfigurer {

        private final Gateway gateway;
        private final HandshakeRules handshakeRules;
        private final boolean builtin;

        Endpoint(Gateway gateway, HandshakeRules handshakeRules, ChatAppProperties properties) {
            this.gateway = gateway;
            this.handshakeRules = handshakeRules;
            this.builtin = properties.realtime() == ChatAppProperties.Realtime.BUILTIN;
        }

        @Override
        public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
            if (builtin) {
                // Origins are checked by HandshakeRules (problem documents, ticket kept on refusal).
                registry.addHandler(gateway, Gateway.PATH).addInterceptors(handshakeRules).setAllowedOriginPatterns("*");
            }
        }
    }

    /**
     * The built-in gateway: sockets held by this server, fan-out in memory. With
     * {@code chatapp.realtime=apigateway} these beans exist but hold no socket: the fan-out is
     * API Gateway's (the shape configuration's {@code fanOut}) and {@code /ws} is not served.
     */
    @Configuration(proxyBeanMethods = false)
    static class Builtin {

        @Bean
        BuiltinFanOut builtinFanOut(Frames frames) {
            return new BuiltinFanOut(frames);
        }

        @Bean
        Gateway gateway(Connections connections, RealtimeEvents events, BuiltinFanOut fanOut, Frames frames,
                FrameHandler frameHandler, RealtimeProperties limits, SocketLimits sockets, Sessions sessions, Clock clock,
                MeterRegistry registry) {
            return new Gateway(connections, events, fanOut, frames, frameHandler, limits, sockets.socketsPerUser(),
                    sessions, clock, nodeName(), new RealtimeMeters(registry, fanOut));
        }

        /** What a client frame means: the same handler as the Lambda's {@code $default}. */
        @Bean
        FrameHandler frameHandler(ChatService chat, RealtimeEvents events, Frames frames, RealtimeProperties limits) {
            return new FrameHandler(chat, events, frames, limits.typingInterval());
        }

        @Bean
        HandshakeRules handshakeRules(Tickets tickets, ChatAppProperties properties, OwnHost ownHost, JsonMapper json) {
            return new HandshakeRules(tickets, properties.allowedOrigins(), ownHost, json);
        }

        @Bean
        FilterRegistrationBean<TicketFilter> ticketFilter(ChatAppProperties properties) {
            FilterRegistrationBean<TicketFilter> bean = new FilterRegistrationBean<>(new TicketFilter());
            bean.addUrlPatterns(Gateway.PATH);
            bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
            bean.setEnabled(properties.realtime() == ChatAppProperties.Realtime.BUILTIN);
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
}
