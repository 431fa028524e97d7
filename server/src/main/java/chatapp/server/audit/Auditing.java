package chatapp.server.audit;

import chatapp.audit.Who;
import chatapp.server.security.AccessTokens;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a controller method a {@link Who} parameter: the caller's account and session (from the
 * bearer token) and the client's address (the connection's, as for the sign-in limits), so that
 * recording an audit entry stays one line next to the call it records
 * (docs/decisions/0034-audit-chain.md, "Where entries are recorded").
 */
final class Auditing implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Who.class;
    }

    @Override
    public Who resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
            WebDataBinderFactory binders) {
        HttpServletRequest http = request.getNativeRequest(HttpServletRequest.class);
        String address = http == null ? null : http.getRemoteAddr();
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || caller instanceof AnonymousAuthenticationToken || !caller.isAuthenticated()) {
            return Who.anonymous(address);
        }
        String session = caller.getDetails() instanceof AccessTokens.Bearer b ? b.sessionId() : null;
        return new Who(caller.getName(), session, address);
    }
}
