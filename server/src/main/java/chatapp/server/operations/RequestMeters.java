package chatapp.server.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The REST side of ChatApp's meters (docs/operations.md, "Metrics"), read from the requests'
 * outcomes, so the controllers stay as they are: message sends and their latency, acks (201),
 * logins and their failures, uploads, and every 429 by API area. Spring's own per-request
 * observation stays off: its timers and tags cost about a fifth of a send's CPU
 * (docs/benchmarks.md); this filter keeps a handful of meters made once.
 */
final class RequestMeters extends OncePerRequestFilter {

    private static final String API = "/api/v1/";
    private static final Pattern AREA = Pattern.compile("[a-z]{1,20}");
    private static final int MAX_AREAS = 16;

    private final MeterRegistry registry;
    private final Timer sendsAcked;
    private final Timer sendsRefused;
    private final Counter acks;
    private final Counter loginsOk;
    private final Counter loginsFailed;
    private final Counter uploadsStored;
    private final Counter uploadsRefused;
    private final ConcurrentHashMap<String, Counter> limited = new ConcurrentHashMap<>();

    RequestMeters(MeterRegistry registry) {
        this.registry = registry;
        this.sendsAcked = sends(registry, "acked");
        this.sendsRefused = sends(registry, "refused");
        this.acks = Counter.builder("chatapp.acks").tag("transport", "rest")
                .description("sends acknowledged (durably stored)").register(registry);
        this.loginsOk = logins(registry, "success");
        this.loginsFailed = logins(registry, "failure");
        this.uploadsStored = uploads(registry, "stored");
        this.uploadsRefused = uploads(registry, "refused");
    }

    private static Timer sends(MeterRegistry registry, String outcome) {
        return Timer.builder("chatapp.sends").tag("transport", "rest").tag("outcome", outcome)
                .description("message sends over REST, from request to answer (a 201 is after the commit)")
                .publishPercentileHistogram(false).register(registry);
    }

    private static Counter logins(MeterRegistry registry, String outcome) {
        return Counter.builder("chatapp.logins").tag("outcome", outcome).description("login attempts").register(registry);
    }

    private static Counter uploads(MeterRegistry registry, String outcome) {
        return Counter.builder("chatapp.uploads").tag("outcome", outcome)
                .description("photo and video uploads").register(registry);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(API);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            record(request, response.getStatus(), System.nanoTime() - start);
        }
    }

    private void record(HttpServletRequest request, int status, long nanos) {
        String path = request.getRequestURI();
        boolean post = "POST".equals(request.getMethod());
        if (post && path.startsWith("/api/v1/conversations/") && path.endsWith("/messages")) {
            (status == 201 || status == 200 ? sendsAcked : sendsRefused).record(nanos, TimeUnit.NANOSECONDS);
            if (status == 201 || status == 200) {
                acks.increment();
            }
        } else if (post && path.equals("/api/v1/auth/login")) {
            (status == 200 ? loginsOk : loginsFailed).increment();
        } else if (post && path.equals("/api/v1/media")) {
            (status == 201 ? uploadsStored : uploadsRefused).increment();
        }
        if (status == 429) {
            int end = path.indexOf('/', API.length());
            String area = path.substring(API.length(), end < 0 ? path.length() : end);
            if (!AREA.matcher(area).matches() || (limited.size() >= MAX_AREAS && !limited.containsKey(area))) {
                area = "other"; // a tag's values stay few, whatever paths clients try
            }
            limited.computeIfAbsent(area, a -> Counter.builder("chatapp.refusals.rate_limited").tag("area", a)
                    .description("requests and frames refused by a rate limit").register(registry)).increment();
        }
    }
}
