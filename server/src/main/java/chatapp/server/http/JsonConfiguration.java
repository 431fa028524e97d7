package chatapp.server.http;

import chatapp.chat.MediaRef;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Strict JSON scalars for every request body (and the WebSocket frames, whose codec is built on
 * the same mapper): a string field takes a JSON string, a number field a JSON number, a boolean
 * field {@code true}/{@code false}. Jackson by default turns {@code 5} into {@code "5"},
 * {@code "3"} into {@code 3} and {@code 2.7} into {@code 2}; a client that sends those has a bug
 * that should be visible, so they are 400 {@code validation_failed} naming the field
 * ({@link ProblemHandler}). A key given twice in one object is refused the same way.
 *
 * <p>JSON is the only body format: Spring MVC would also read and write YAML because
 * springdoc brings jackson-dataformat-yaml (Jackson 2, for {@code /v3/api-docs.yaml}), and that
 * reader has none of the rules above (a repeated key wins last, scalars are coerced). Its
 * converter is removed, so a YAML body is 415 and {@code Accept: application/yaml} is 406.
 * springdoc writes {@code /v3/api-docs.yaml} itself, as text, so that keeps working.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    /** Drops every converter that reads or writes YAML (see the class comment). */
    @Bean
    ServerHttpMessageConvertersCustomizer jsonOnly() {
        return builder -> builder.configureMessageConvertersList(converters -> converters.removeIf(
                c -> c.getSupportedMediaTypes().stream().anyMatch(t -> t.getSubtype().endsWith("yaml"))));
    }

    /** API.md: a message's media has width, height and durationMs only when they are known. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private abstract static class MediaShape {
    }

    @Bean
    JsonMapperBuilderCustomizer strictScalars() {
        return builder -> builder
                .addMixIn(MediaRef.class, MediaShape.class)
                // {"email":"a","email":"b"}: which one was meant is a guess; 400 naming it (ProblemHandler)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
    }
}
