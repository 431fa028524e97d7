package chatapp.server;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Reports an operator's mistake at start ({@link OperatorError#behind}) as Spring Boot's short
 * "APPLICATION FAILED TO START" description instead of a stack trace in the log. Registered in
 * {@code META-INF/spring.factories}.
 */
final class OperatorErrorAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        return OperatorError.behind(failure)
                .map(e -> new FailureAnalysis(e.getMessage(),
                        "Correct the setting (README, \"Configuration\") and start again.", failure))
                .orElse(null);
    }
}
