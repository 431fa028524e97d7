package chatapp.server.http;

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
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@link RequestLimits#jsonBody()} with 413 {@code too_large}
 * (API.md), before they are read: a declared {@code Content-Length} over the limit is answered
 * at once; a chunked body is counted as it is read and reading stops at the limit (the JSON
 * parser then fails and {@link ProblemHandler} answers 413, seeing {@link #EXCEEDED}). Media
 * uploads ({@code POST /api/v1/media}, {@code PUT /api/v1/users/me/avatar}) are exempt: they stream to disk under their own limits.
 *
 * <p>The same stream checks, as it goes, that the body is strict UTF-8 (RFC 3629: no overlong
 * forms such as {@code C1 A1} for {@code a} or {@code C0 AF} for {@code /}, no encoded
 * surrogates, nothing over U+10FFFF). Jackson's parser decodes overlong forms as if they were
 * valid, which would let {@code p\xC1\xA1t@example.com} sign in as {@code pat@example.com}. A
 * malformed body is 400 {@code bad_request} ({@link ProblemHandler}, seeing {@link #MALFORMED}).
 * Every body reaching this check is meant as UTF-8: {@link RequestShapeFilter}, which runs first,
 * refuses a declared charset other than UTF-8 ({@code charset=UTF-16}, {@code ISO-8859-1}) and
 * any {@code Content-Encoding} (gzip, ...) with 415 {@code unsupported_media}, so compressed or
 * UTF-16 bytes are never judged here as broken UTF-8.
 */
final class BodyLimitFilter extends OncePerRequestFilter {

    /** Request attribute set (to the byte offset, a Long) when a body turned out not to be UTF-8 while being read. */
    static final String MALFORMED = BodyLimitFilter.class.getName() + ".malformed";
    /** Request attribute set (to the limit in bytes, a Long) when a body went over the limit while being read. */
    static final String EXCEEDED = BodyLimitFilter.class.getName() + ".exceeded";
    /** The one path whose bodies are not JSON (docs/media.md); matched on the raw URI, so no encoding trick widens it. */
    static final String MEDIA_UPLOAD = "/api/v1/media";
    /** The avatar upload (issue 21): a photo, held to the media limits like {@link #MEDIA_UPLOAD}. */
    static final String AVATAR_UPLOAD = "/api/v1/users/me/avatar";

    private final long limit;
    private final ProblemWriter problems;

    BodyLimitFilter(RequestLimits limits, ProblemWriter problems) {
        this.limit = limits.jsonBody().toBytes();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (MEDIA_UPLOAD.equals(request.getRequestURI()) || AVATAR_UPLOAD.equals(request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > limit) {
            // The body stays unread; Tomcat closes the connection rather than swallow much of it.
            response.setHeader("Connection", "close");
            problems.write(response, ErrorCode.TOO_LARGE, detail());
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
                in = new Counted(super.getInputStream(), limit, (HttpServletRequest) getRequest(),
                        StandardCharsets.UTF_8.newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT));
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

    /**
     * Counts bytes read and fails once more than {@code limit} arrived; with a {@code decoder},
     * also fails at the first byte that is not strict UTF-8 (or at the end, mid-character).
     */
    private static final class Counted extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private final HttpServletRequest request;
        private final CharsetDecoder decoder;
        /** The bytes of a character split between two reads (at most 3), then the next read's. */
        private ByteBuffer pending = ByteBuffer.allocate(0);
        private CharBuffer scratch = CharBuffer.allocate(0);
        private long count;
        private boolean ended;

        Counted(ServletInputStream in, long limit, HttpServletRequest request, CharsetDecoder decoder) {
            this.in = in;
            this.limit = limit;
            this.request = request;
            this.decoder = decoder;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
                checked(new byte[] {(byte) b}, 0, 1);
            } else {
                ended();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
                checked(buffer, offset, n);
            } else if (n < 0) {
                ended();
            }
            return n;
        }

        /** Decodes the bytes just read (after any left over from before) into scratch space. */
        private void checked(byte[] buffer, int offset, int n) throws IOException {
            if (decoder == null) {
                return;
            }
            ByteBuffer bytes = ByteBuffer.allocate(pending.remaining() + n);
            bytes.put(pending).put(buffer, offset, n).flip();
            if (scratch.capacity() < bytes.remaining()) {
                scratch = CharBuffer.allocate(bytes.remaining());
            }
            scratch.clear();
            CoderResult result = decoder.decode(bytes, scratch, false);
            if (result.isError()) {
                malformed(count - bytes.remaining());
            }
            pending = bytes; // what is left: the start of a character that continues in the next read
        }

        private void ended() throws IOException {
            if (decoder == null || ended) {
                return; // a parser may ask again after the end
            }
            ended = true;
            scratch = CharBuffer.allocate(Math.max(4, pending.remaining()));
            if (decoder.decode(pending, scratch, true).isError() || decoder.flush(scratch).isError()) {
                malformed(count - pending.remaining());
            }
        }

        private void malformed(long offset) throws IOException {
            request.setAttribute(MALFORMED, offset);
            throw new MalformedBody(offset);
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

    /** Raised by the body's stream at a byte that is not strict UTF-8. */
    static final class MalformedBody extends IOException {
        MalformedBody(long offset) {
            super("the request body is not valid UTF-8 at byte " + offset, null);
        }
    }

    /** Raised by the body's stream at the limit. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge(long limit) {
            super("the request body is larger than " + describe(limit), null);
        }
    }
}
