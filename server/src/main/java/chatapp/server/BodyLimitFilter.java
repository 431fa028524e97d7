package chatapp.server;

import chatapp.core.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses request bodies over {@link RequestLimits#jsonBody()} with 413 {@code too_large}
 * (API.md), before they are read: a declared {@code Content-Length} over the limit is answered
 * at once; a chunked body is counted as it is read and reading stops at the limit (the JSON
 * parser then fails and {@link ProblemHandler} answers 413, seeing {@link #EXCEEDED}). Media
 * uploads ({@code POST /api/v1/media}) are exempt: they stream to disk under their own limits.
 */
final class BodyLimitFilter extends OncePerRequestFilter {

    /** Request attribute set (to the limit in bytes, a Long) when a body went over the limit while being read. */
    static final String EXCEEDED = BodyLimitFilter.class.getName() + ".exceeded";
    /** The one path whose bodies are not JSON (docs/media.md); matched on the raw URI, so no encoding trick widens it. */
    static final String MEDIA_UPLOAD = "/api/v1/media";

    private final long limit;
    private final JsonMapper json;

    BodyLimitFilter(RequestLimits limits, JsonMapper json) {
        this.limit = limits.jsonBody().toBytes();
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (MEDIA_UPLOAD.equals(request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > limit) {
            // The body stays unread; Tomcat closes the connection rather than swallow much of it.
            response.setHeader("Connection", "close");
            SecurityConfiguration.write(response, json, ErrorCode.TOO_LARGE, detail());
            return;
        }
        chain.doFilter(new Limited(request, limit), response);
    }

    private String detail() {
        return "the request body is larger than " + describe(limit) + " (chatapp.limits.json-body)";
    }

    static String describe(long bytes) {
        return bytes % 1024 == 0 ? (bytes / 1024) + " KiB" : bytes + " bytes";
    }

    /** The request with a body that stops at the limit. */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream in;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new Counted(super.getInputStream(), limit, (HttpServletRequest) getRequest());
            }
            return in;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    /** Counts bytes read and fails once more than {@code limit} arrived. */
    private static final class Counted extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private final HttpServletRequest request;
        private long count;

        Counted(ServletInputStream in, long limit, HttpServletRequest request) {
            this.in = in;
            this.limit = limit;
            this.request = request;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws IOException {
            count += n;
            if (count > limit) {
                request.setAttribute(EXCEEDED, limit);
                throw new BodyTooLarge(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }

    /** Raised by the body's stream at the limit. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge(long limit) {
            super("the request body is larger than " + describe(limit), null);
        }
    }
}
