package chatapp.server.http;

import chatapp.core.ErrorCode;
import chatapp.core.FieldError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request headers and query strings that Spring would otherwise stumble over (API.md,
 * "Conventions": a client's mistake is a 4xx, never a 500), before any endpoint runs:
 * <ul>
 * <li>a {@code Content-Encoding} other than {@code identity} (gzip, deflate, br, ...): 415
 * {@code unsupported_media}; bodies are not decompressed, and the UTF-8 and size checks of
 * {@link BodyLimitFilter} would otherwise judge the compressed bytes;</li>
 * <li>a {@code Content-Type} with a wildcard ({@code *}{@code /*}, {@code application/*}; Spring's
 * {@code HttpHeaders} refuses to hold one and throws), one that does not parse, or one naming a
 * charset this JVM does not know: 415 {@code unsupported_media} saying what is accepted (a
 * {@code multipart/} type that does not parse, e.g. an empty boundary, is 400 {@code bad_request});</li>
 * <li>outside {@code POST /api/v1/media}, a charset other than UTF-8 ({@code charset=UTF-16},
 * {@code ISO-8859-1}): 415 {@code unsupported_media}, "send UTF-8" (JSON is UTF-8, RFC 8259 §8.1);</li>
 * <li>an {@code Accept} header that does not parse ({@code foo}, {@code q=abc}): 400
 * {@code bad_request}. Spring would only notice when writing the answer, after the endpoint
 * had stored the message, created the account or rotated the refresh token;</li>
 * <li>on {@code /api/}, an {@code Accept} header that allows neither JSON nor problem+json: 406
 * (code {@code bad_request}) saying what the API answers. The media downloads, which are never
 * JSON, are left out: {@code GET /api/v1/media/{id}} (a 302) and the signed file URLs;</li>
 * <li>a query parameter given twice ({@code limit=1&limit=2}): which one was meant is a guess, so
 * 400 {@code validation_failed} naming it. No ChatApp endpoint takes a repeated parameter.</li>
 * <li>on {@code /api/} (not the signed file URLs), a query parameter without a value ({@code limit=},
 * {@code cursor}): 400 {@code validation_failed} naming it, instead of the default it would silently
 * get.</li>
 * </ul>
 */
final class RequestShapeFilter extends OncePerRequestFilter {

    private static final Pattern CHARSET = Pattern.compile(";\\s*charset\\s*=\\s*\"?([^\";\\s]*)",
            Pattern.CASE_INSENSITIVE);

    private final ProblemWriter problems;
    /** Where the disk adapter's signed file URLs are served ({@link chatapp.media.MediaFiles#SIGNED_PATH}). */
    private final String signedFilesPath;

    RequestShapeFilter(ProblemWriter problems, String signedFilesPath) {
        this.problems = problems;
        this.signedFilesPath = signedFilesPath;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (coding != null && !coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
            problems.write(response, ErrorCode.UNSUPPORTED_MEDIA, "Content-Encoding '"
                    + shorten(coding) + "' is not accepted: request bodies are never decompressed; send the body "
                    + "without a content coding, " + accepted(request));
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null && !plainJson(contentType)) {
            String refusal = contentTypeRefusal(contentType);
            if (refusal != null && contentType.regionMatches(true, 0, "multipart/", 0, 10)) {
                // "multipart/form-data; boundary=": the type is right, the body cannot be split
                problems.write(response, ErrorCode.BAD_REQUEST, refusal
                        + ": a multipart/form-data body needs a non-empty boundary parameter");
                return;
            }
            if (refusal != null) {
                problems.write(response, ErrorCode.UNSUPPORTED_MEDIA,
                        refusal + "; " + accepted(request));
                return;
            }
            String charset = otherCharset(contentType);
            if (charset != null && !BodyLimitFilter.MEDIA_UPLOAD.equals(request.getRequestURI())) {
                problems.write(response, ErrorCode.UNSUPPORTED_MEDIA, "the charset '" + charset
                        + "' in Content-Type is not accepted: request bodies are JSON in UTF-8 (RFC 8259); send UTF-8");
                return;
            }
        }
        List<MediaType> accept;
        try {
            accept = acceptedTypes(request.getHeaders(HttpHeaders.ACCEPT));
        } catch (IllegalArgumentException e) { // InvalidMediaTypeException, or a q that is not a number
            problems.write(response, ErrorCode.BAD_REQUEST, "the Accept header cannot be parsed: "
                    + shorten(String.valueOf(e.getMessage()), 200)
                    + "; send e.g. 'Accept: application/json', or no Accept header");
            return;
        }
        if (request.getRequestURI().startsWith("/api/") && !neverJson(request) && !acceptsJson(accept)) {
            var problem = Problems.of(ErrorCode.BAD_REQUEST, "this API answers application/json (and errors as "
                    + "application/problem+json); the Accept header ('"
                    + shorten(String.join(", ", java.util.Collections.list(request.getHeaders(HttpHeaders.ACCEPT))))
                    + "') allows neither", List.of());
            problem.setStatus(HttpServletResponse.SC_NOT_ACCEPTABLE);
            problems.write(response, problem);
            return;
        }
        String repeated = repeatedParameter(request.getQueryString());
        if (repeated != null) {
            problems.write(response, Problems.of(ErrorCode.VALIDATION_FAILED,
                    "query parameter '" + repeated + "' is given more than once",
                    List.of(new FieldError(repeated, "must be given at most once"))));
            return;
        }
        String empty = request.getRequestURI().startsWith("/api/") && !request.getRequestURI().startsWith(signedFilesPath)
                ? emptyParameter(request.getQueryString()) : null;
        if (empty != null) {
            problems.write(response, Problems.of(ErrorCode.VALIDATION_FAILED,
                    "query parameter '" + empty + "' is empty: leave it out or give it a value",
                    List.of(new FieldError(empty, "must not be empty; leave it out for the default"))));
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The first parameter in {@code query} without a value ({@code limit=} or {@code limit}), or null.
     * Spring would read it as absent and answer with the default, so a client's bug would pass
     * unseen; the OpenAPI document gives every parameter a value (issue 19).
     */
    static String emptyParameter(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0 || eq == pair.length() - 1) {
                try {
                    return shorten(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return null; // a bad %-escape: Tomcat refuses the query string later with its own answer
                }
            }
        }
        return null;
    }

    /**
     * {@code application/json}, alone or with {@code charset=UTF-8} (any case, spaces around
     * {@code ;}): the Content-Type of nearly every request, which every check below lets through;
     * told apart without the regular expression and the media-type parser they use.
     */
    static boolean plainJson(String contentType) {
        if (!contentType.regionMatches(true, 0, "application/json", 0, 16)) {
            return false;
        }
        int n = contentType.length();
        int i = 16;
        while (i < n && contentType.charAt(i) == ' ') {
            i++;
        }
        if (i == n) {
            return true;
        }
        if (contentType.charAt(i) != ';') {
            return false;
        }
        i++;
        while (i < n && contentType.charAt(i) == ' ') {
            i++;
        }
        return n - i == 13 && contentType.regionMatches(true, i, "charset=utf-8", 0, 13);
    }

    /** Why {@code contentType} cannot be taken, or null when it can (whether it fits the endpoint is MVC's call). */
    static String contentTypeRefusal(String contentType) {
        // Looked at before parsing: Spring's parser refuses an unknown charset without saying so.
        Matcher charset = CHARSET.matcher(contentType);
        if (charset.find() && !isKnownCharset(charset.group(1))) {
            return "the charset '" + shorten(charset.group(1)) + "' in Content-Type is unknown";
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return "Content-Type '" + shorten(contentType) + "' cannot be parsed";
        }
        if (type.isWildcardType() || type.isWildcardSubtype()) {
            return "Content-Type " + type.getType() + "/" + type.getSubtype()
                    + " is a pattern, not a type: name the type you send";
        }
        return null;
    }

    private static boolean isKnownCharset(String name) {
        try {
            return Charset.isSupported(name);
        } catch (IllegalArgumentException e) { // an illegal charset name
            return false;
        }
    }

    private static String accepted(HttpServletRequest request) {
        return BodyLimitFilter.MEDIA_UPLOAD.equals(request.getRequestURI())
                ? "send multipart/form-data with the field 'file', or the photo or video itself with its own type "
                        + "(image/jpeg, image/png, video/mp4, ...)"
                : "send application/json (UTF-8)";
    }

    /**
     * The media types of all Accept headers (none: empty).
     *
     * @throws IllegalArgumentException when one does not parse (RFC 9110 §12.5.1 syntax, q from 0 to 1)
     */
    static List<MediaType> acceptedTypes(java.util.Enumeration<String> accept) {
        List<MediaType> types = new java.util.ArrayList<>();
        while (accept != null && accept.hasMoreElements()) {
            types.addAll(MediaType.parseMediaTypes(accept.nextElement()));
        }
        return types;
    }

    /**
     * Whether the Accept header's types allow JSON or problem+json (no header: yes). Checked before
     * the endpoint runs, so a login is not performed and then refused for its answer's type.
     */
    static boolean acceptsJson(List<MediaType> types) {
        return types.isEmpty() || types.stream().anyMatch(t -> t.getQualityValue() > 0
                && (t.isCompatibleWith(MediaType.APPLICATION_JSON) || t.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)));
    }

    /**
     * The media downloads, whose answers are never JSON (a 302, or the file itself): an image
     * viewer's {@code Accept: image/*} is theirs to send. docs/media.md.
     */
    private boolean neverJson(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri.startsWith(signedFilesPath)) {
            return true;
        }
        return ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && uri.startsWith(BodyLimitFilter.MEDIA_UPLOAD + "/")
                && uri.indexOf('/', BodyLimitFilter.MEDIA_UPLOAD.length() + 1) < 0;
    }

    /** The charset named in {@code contentType} when it is a known one other than UTF-8, else null. */
    private static String otherCharset(String contentType) {
        Matcher charset = CHARSET.matcher(contentType);
        if (!charset.find() || !isKnownCharset(charset.group(1))) {
            return null;
        }
        return Charset.forName(charset.group(1)).equals(StandardCharsets.UTF_8) ? null : shorten(charset.group(1));
    }

    /** The first parameter name that occurs twice in {@code query}, or null. */
    static String repeatedParameter(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String raw = eq < 0 ? pair : pair.substring(0, eq);
            String name;
            try {
                name = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null; // a bad %-escape: Tomcat refuses the query string later with its own answer
            }
            if (!seen.add(name)) {
                return shorten(name);
            }
        }
        return null;
    }

    private static String shorten(String s) {
        return shorten(s, 60);
    }

    private static String shorten(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }
}
