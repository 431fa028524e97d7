package chatapp.server.http;

import chatapp.core.ErrorCode;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}, API.md), made by springdoc from the controllers
 * and completed here, so that a new endpoint is described as soon as it exists:
 * <ul>
 * <li>the header: ChatApp's name, what it is, and the project version (written into
 * application.properties by Maven);</li>
 * <li>the security scheme {@code bearer} (an access token); operations that need it say so with
 * {@code @SecurityRequirement(name = "bearer")} and get a 401;</li>
 * <li>every error answer, an RFC 9457 problem document ({@code Problem}, with the stable
 * {@code code}): 400 everywhere (query string, Accept header, repeated or empty parameters), 406
 * where the answer is JSON, 413 and 415 where there is a body, and each endpoint's own
 * {@link Refusals} (429 with {@code Retry-After});</li>
 * <li>JSON answers typed {@code application/json}, not springdoc's {@code *}{@code /*};</li>
 * <li>properties marked {@code nullable} in the schema annotations are typed with {@code "null"}
 * (OpenAPI 3.1 has no {@code nullable}).</li>
 * </ul>
 * {@code OpenApiContractTest} runs schemathesis with every check against the live server and
 * this document (docs/decisions/0038-openapi-contract.md).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** The name of the security scheme controllers refer to. */
    static final String BEARER = "bearer";
    private static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = "application/problem+json";
    /**
     * Every id in a path (users, sessions, conversations, media, variants) is URL-safe: an id of
     * another shape names nothing (404), or is refused by the firewall (400) before it is looked up.
     */
    static final String OPAQUE_ID = "^[A-Za-z0-9_-]{1,64}$";
    /** A messageId (ChatStore): the conversation's sequence number, then 8 random characters. */
    static final String MESSAGE_ID = "^[0-9]{12}-[A-Za-z0-9_-]{8}$";

    @Bean
    OpenAPI chatAppOpenApi(@Value("${chatapp.build.version:unknown}") String version) {
        return new OpenAPI().info(new Info()
                .title("ChatApp API")
                .version(version)
                .description("""
                        Messaging between parents and therapists: accounts, one conversation per \
                        parent-therapist pair, messages with photos and videos, read receipts, and a \
                        real-time WebSocket (POST /api/v1/realtime/tickets, then /ws). Errors are RFC 9457 \
                        problem documents with a stable `code`. The contract is API.md, version 1; the \
                        WebSocket frames are described in docs/protocol.md."""))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("JWT")
                                .description("The accessToken of POST /api/v1/auth/login, /register or /refresh "
                                        + "(15 minutes); refused once its session has ended"))
                        .addSchemas(PROBLEM, problemSchema()));
    }

    /** Each endpoint's own refusals ({@link Refusals}). */
    @Bean
    OperationCustomizer refusalsCustomizer() {
        return (operation, handler) -> {
            Refusals refusals = handler.getMethodAnnotation(Refusals.class);
            if (refusals != null) {
                Arrays.stream(refusals.value()).forEach(code -> addProblem(operation, code));
            }
            return operation;
        };
    }

    /** What every endpoint may answer, JSON content types, and nullable properties. */
    @Bean
    OpenApiCustomizer commonAnswersCustomizer() {
        return openApi -> {
            if (openApi.getPaths() != null) {
                openApi.getPaths().values().forEach(item -> item.readOperations()
                        .forEach(OpenApiConfiguration::complete));
            }
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                openApi.getComponents().getSchemas().values().forEach(OpenApiConfiguration::nullable);
            }
        };
    }

    private static void complete(Operation operation) {
        ApiResponses responses = operation.getResponses();
        responses.forEach((status, response) -> jsonContent(response.getContent()));
        if (operation.getRequestBody() != null) {
            addProblem(operation, ErrorCode.TOO_LARGE);
            addProblem(operation, ErrorCode.UNSUPPORTED_MEDIA);
        }
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
            addProblem(operation, ErrorCode.UNAUTHORIZED); // no or a malformed token
            addProblem(operation, ErrorCode.INVALID_TOKEN); // expired, or its session has ended
        }
        addProblem(operation, ErrorCode.BAD_REQUEST);
        boolean answersJson = responses.values().stream().anyMatch(r -> r.getContent() != null
                && r.getContent().containsKey(org.springframework.http.MediaType.APPLICATION_JSON_VALUE));
        List<String> success = responses.keySet().stream().filter(s -> s.startsWith("2")).toList();
        // the media downloads (a 302, or the file) take any Accept (RequestShapeFilter)
        if (answersJson || (!success.isEmpty() && success.stream().allMatch("204"::equals))) {
            addStatus(operation, 406, "the Accept header allows neither application/json nor "
                    + "application/problem+json (code bad_request)");
        }
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(p -> "query".equals(p.getIn()))
                    .forEach(OpenApiConfiguration::noEmptyValue);
            operation.getParameters().stream().filter(p -> "path".equals(p.getIn()))
                    .forEach(p -> p.getSchema().setPattern(OPAQUE_ID));
        }
    }

    /** springdoc answers {@code *}{@code /*}; the server answers JSON. */
    private static void jsonContent(Content content) {
        if (content != null && content.containsKey("*/*")) {
            MediaType any = content.remove("*/*");
            content.addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, any);
        }
    }

    /** An empty query parameter is refused (RequestShapeFilter); strings say so with minLength 1. */
    private static void noEmptyValue(Parameter p) {
        p.setAllowEmptyValue(null);
        Schema<?> s = p.getSchema();
        if (s != null && isType(s, "string") && s.getMinLength() == null && s.getEnum() == null) {
            s.setMinLength(1);
        }
    }

    private static boolean isType(Schema<?> s, String type) {
        return type.equals(s.getType()) || (s.getTypes() != null && s.getTypes().contains(type));
    }

    /** OpenAPI 3.1: {@code nullable: true} becomes {@code "null"} among the property's types. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void nullable(Schema<?> schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        for (Schema property : properties.values()) {
            if (property.get$ref() != null && property.getTypes() != null && property.getTypes().contains("null")) {
                // swagger-core writes a nullable reference as {"type": "null", "$ref": ...}, which nothing matches
                property.setTypes(null);
                property.setNullable(true);
            }
            if (Boolean.TRUE.equals(property.getNullable())) {
                property.setNullable(null);
                if (property.get$ref() != null) {
                    Schema ref = new Schema().$ref(property.get$ref());
                    property.set$ref(null);
                    property.setOneOf(List.of(ref, new Schema().types(Set.of("null"))));
                } else {
                    Set<String> types = new LinkedHashSet<>();
                    if (property.getTypes() != null) {
                        types.addAll(property.getTypes());
                    }
                    if (property.getType() != null) {
                        types.add(property.getType());
                    }
                    types.add("null");
                    property.setTypes(types);
                }
            }
        }
    }

    /** Adds (or extends) the response for {@code code}'s status, listing every code it may carry. */
    static void addProblem(Operation operation, ErrorCode code) {
        Set<ErrorCode> codes = EnumSet.of(code);
        if (code == ErrorCode.BAD_REQUEST) {
            codes.add(ErrorCode.VALIDATION_FAILED);
        }
        ApiResponse existing = operation.getResponses().get(Integer.toString(code.status()));
        String description = codes.stream().map(ErrorCode::code).collect(Collectors.joining(", "));
        if (existing != null && existing.getDescription() != null && existing.getContent() != null
                && existing.getContent().containsKey(PROBLEM_JSON)) {
            if (existing.getDescription().contains(description)) {
                return;
            }
            existing.setDescription(existing.getDescription() + ", " + description);
            return;
        }
        ApiResponse response = problemResponse("problem document, code " + description);
        if (code == ErrorCode.RATE_LIMITED) {
            response.addHeaderObject("Retry-After", new Header().required(true)
                    .description("seconds until the refused action would be taken")
                    .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)));
        }
        operation.getResponses().addApiResponse(Integer.toString(code.status()), response);
    }

    private static void addStatus(Operation operation, int status, String description) {
        if (!operation.getResponses().containsKey(Integer.toString(status))) {
            operation.getResponses().addApiResponse(Integer.toString(status), problemResponse(description));
        }
    }

    private static ApiResponse problemResponse(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    /** RFC 9457 as API.md shapes it: {@code type, title, status, detail, code}, and {@code errors} for validation. */
    @SuppressWarnings("rawtypes")
    private static Schema<?> problemSchema() {
        Schema<?> fieldError = new ObjectSchema()
                .addProperty("field", new StringSchema().description("the field or parameter, e.g. content.value"))
                .addProperty("message", new StringSchema())
                .required(List.of("field", "message"));
        StringSchema codes = new StringSchema();
        Arrays.stream(ErrorCode.values()).forEach(c -> codes.addEnumItem(c.code()));
        codes.addEnumItem("internal_error");
        return new ObjectSchema()
                .description("RFC 9457 problem document; clients switch on `code`")
                .addProperty("type", new StringSchema().description("/problems/<code>"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema().minimum(java.math.BigDecimal.valueOf(400))
                        .maximum(java.math.BigDecimal.valueOf(599)))
                .addProperty("detail", new StringSchema().description("what went wrong and what to send instead"))
                .addProperty("instance", new StringSchema())
                .addProperty("code", codes)
                .addProperty("errors", new ArraySchema().items(fieldError)
                        .description("validation_failed: one entry per invalid field"))
                .required(List.of("type", "title", "status", "detail", "code"));
    }
}
