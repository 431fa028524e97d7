package chatapp.server.chat;

import chatapp.chat.ChatService;
import chatapp.chat.Sent;
import chatapp.server.chat.ChatJson.MessageJson;
import chatapp.server.chat.ChatJson.SendRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/conversations/{id}/messages}, the one request a chat makes for every
 * message, answered without Spring MVC's dispatch (docs/decisions/0061-rest-send-route.md): after
 * every filter (limits, authentication, security headers) it reads the body with the same
 * {@link JsonMapper}, calls {@link ChatService#send} as {@link ChatController#send} does and
 * writes the same JSON with a {@code Content-Length}. Handler lookup, argument resolution,
 * content negotiation and return-value handling were about two fifths of a send's CPU on its
 * request thread (docs/benchmarks.md, "REST sends, issue 24").
 *
 * <p>It takes only the plain request: a path without escapes or query, {@code Content-Type:
 * application/json} (UTF-8), no {@code Accept} or one of JSON's, a {@code Content-Length}, a
 * body that reads as a {@code SendRequest}. Anything else goes on to the controller untouched
 * (a body already read is replayed, its read error included), so every refusal is the
 * controller's and {@code ProblemHandler}'s, word for word. A send that core refuses is not
 * made again: the controller is handed the refusal ({@link #REFUSED}) and throws it.
 *
 * <p>A plain servlet filter on the request dispatch only (not Spring's {@code OncePerRequestFilter},
 * which would skip the other dispatches all the same): no "already filtered" attribute to name,
 * set and remove on every request.
 */
final class SendRoute extends HttpFilter {

    /** Request attribute: the exception {@link ChatService#send} raised here, for the controller to throw. */
    static final String REFUSED = SendRoute.class.getName() + ".refused";
    private static final String PREFIX = "/api/v1/conversations/";
    private static final String SUFFIX = "/messages";

    private final ChatService chat;
    private final ObjectReader requests;
    private final ObjectWriter answers;

    SendRoute(ChatService chat, JsonMapper json) {
        this.chat = chat;
        this.requests = json.readerFor(SendRequest.class);
        this.answers = json.writerFor(MessageJson.class);
    }

    /** The conversation of a plain send's path (letters, digits, {@code -}, {@code _}), else null. */
    static String conversationId(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || request.getQueryString() != null) {
            return null;
        }
        String uri = request.getRequestURI();
        int end = uri.length() - SUFFIX.length();
        if (!uri.startsWith(PREFIX) || !uri.endsWith(SUFFIX) || end <= PREFIX.length() || end - PREFIX.length() > 128) {
            return null;
        }
        for (int i = PREFIX.length(); i < end; i++) {
            char c = uri.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return null;
            }
        }
        return uri.substring(PREFIX.length(), end);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String conversationId = conversationId(request);
        if (conversationId == null) {
            chain.doFilter(request, response);
            return;
        }
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || !caller.isAuthenticated() || !(caller.getPrincipal() instanceof String userId)
                || !json(request.getContentType()) || !acceptsJson(request.getHeaders(HttpHeaders.ACCEPT))
                || request.getContentLengthLong() < 0) {
            chain.doFilter(request, response);
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(request.getContentLengthLong(), 8192));
        try {
            request.getInputStream().transferTo(body);
        } catch (IOException e) { // over the limit, not UTF-8, the client gone: the controller's answer
            chain.doFilter(new Replayed(request, body.toByteArray(), e), response);
            return;
        }
        byte[] bytes = body.toByteArray();
        SendRequest send;
        try {
            send = requests.readValue(bytes);
        } catch (JacksonException e) {
            send = null;
        }
        if (send == null) {
            chain.doFilter(new Replayed(request, bytes, null), response);
            return;
        }
        Sent sent;
        try {
            sent = chat.send(userId, conversationId, send.clientMessageId(), send.content(), send.replyTo(),
                    null);
        } catch (RuntimeException refused) {
            request.setAttribute(REFUSED, refused);
            chain.doFilter(new Replayed(request, bytes, null), response);
            return;
        }
        byte[] answer = answers.writeValueAsBytes(MessageJson.of(sent.message()));
        response.setStatus(sent.created() ? HttpServletResponse.SC_CREATED : HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    /** {@code application/json}, alone or with {@code charset=UTF-8}: what Spring MVC reads as JSON in UTF-8. */
    static boolean json(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, "application/json", 0, 16)) {
            return false;
        }
        String rest = contentType.substring(16).replace(" ", "");
        return rest.isEmpty() || rest.equalsIgnoreCase(";charset=utf-8");
    }

    /** No Accept header, or one that is exactly {@code *}{@code /*} or {@code application/json}. */
    static boolean acceptsJson(Enumeration<String> accept) {
        if (accept == null || !accept.hasMoreElements()) {
            return true;
        }
        String only = accept.nextElement().strip();
        return !accept.hasMoreElements() && (only.equals("*/*") || only.equalsIgnoreCase("application/json"));
    }

    /** The request with its body, already read here, to be read again (ending as the first read ended). */
    private static final class Replayed extends HttpServletRequestWrapper {
        private final ServletInputStream in;

        Replayed(HttpServletRequest request, byte[] body, IOException failure) {
            super(request);
            ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            this.in = new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    int b = bytes.read();
                    if (b < 0 && failure != null) {
                        throw failure;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = bytes.read(buffer, offset, length);
                    if (n < 0 && failure != null) {
                        throw failure;
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0 && failure == null;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("not an asynchronous request");
                }
            };
        }

        @Override
        public ServletInputStream getInputStream() {
            return in;
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    /** After every other filter of a request (Spring Security's included), before Spring MVC. */
    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<SendRoute> sendRoute(ChatService chat, JsonMapper json) {
            FilterRegistrationBean<SendRoute> bean = new FilterRegistrationBean<>(new SendRoute(chat, json));
            bean.addUrlPatterns("/api/v1/conversations/*");
            bean.setDispatcherTypes(DispatcherType.REQUEST);
            bean.setOrder(ORDER);
            return bean;
        }
    }

    /** Later than Spring Security's filter chain (order -100) and ChatApp's other filters. */
    static final int ORDER = 1000;
}
