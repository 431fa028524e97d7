package chatapp.deploy;

import static chatapp.deploy.CloudFormationTemplate.list;
import static chatapp.deploy.CloudFormationTemplate.map;
import static chatapp.deploy.CloudFormationTemplate.properties;
import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.TableDefinition;
import chatapp.aws.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/template.yaml}: valid by cfn-lint, its tables exactly those of {@link Tables#ALL},
 * its bucket private, encrypted and TLS-only, its WebSocket API complete, its roles narrow.
 */
class TemplateTest {

    private static final Path TEMPLATE = Checkout.deploy("template.yaml");
    private static final String PREFIX = "${TablePrefix}";

    @TempDir
    Path tmp;

    @Test
    void cfnLintFindsNoErrorOrWarning() throws Exception {
        Checkout.Result r = cfnLint(TEMPLATE);
        assertThat(r.output()).as("cfn-lint output").isEmpty();
        assertThat(r.status()).isZero();
    }

    @Test
    void cfnLintRejectsABrokenCopySoTheCheckAboveCanFail() throws Exception {
        Path broken = tmp.resolve("broken.yaml");
        String text = Files.readString(TEMPLATE);
        assertThat(text).contains("Runtime: java21");
        Files.writeString(broken, text.replace("Runtime: java21", "Runtime: java99"));
        Checkout.Result r = cfnLint(broken);
        assertThat(r.status()).isNotZero();
        assertThat(r.output()).contains("E3030").contains("java99");
    }

    @Test
    void theTemplatesTablesAreExactlyTablesAllWithTheirKeysIndexesAndTtl() throws Exception {
        Map<String, Map<String, Object>> byName = templateTables();
        assertThat(byName.keySet()).as("tables in the template vs Tables.ALL")
                .containsExactlyInAnyOrderElementsOf(Tables.ALL.stream().map(TableDefinition::name).toList());

        for (TableDefinition table : Tables.ALL) {
            Map<String, Object> p = byName.get(table.name());
            String what = "table " + table.name();
            assertThat(p.get("BillingMode")).as(what).isEqualTo("PAY_PER_REQUEST");
            assertThat(map(p.get("SSESpecification")).get("SSEEnabled")).as(what).isEqualTo(true);
            assertThat(keySchema(p.get("KeySchema"))).as(what + " key schema")
                    .isEqualTo(keys(table.partitionKey(), table.sortKey()));

            Map<String, String> attributes = new LinkedHashMap<>();
            for (Object a : list(p.get("AttributeDefinitions"))) {
                Map<String, Object> def = map(a);
                assertThat(attributes.put((String) def.get("AttributeName"), (String) def.get("AttributeType")))
                        .as(what + " defines " + def.get("AttributeName") + " once").isNull();
            }
            assertThat(attributes).as(what + " attribute definitions").isEqualTo(expectedAttributes(table));

            Map<String, List<String>> indexes = new LinkedHashMap<>();
            for (Object i : p.containsKey("GlobalSecondaryIndexes") ? list(p.get("GlobalSecondaryIndexes")) : List.of()) {
                Map<String, Object> gsi = map(i);
                assertThat(map(gsi.get("Projection")).get("ProjectionType")).as(what + " " + gsi.get("IndexName"))
                        .isEqualTo("ALL");
                indexes.put((String) gsi.get("IndexName"), keySchema(gsi.get("KeySchema")));
            }
            Map<String, List<String>> expectedIndexes = new LinkedHashMap<>();
            table.indexes().forEach(i -> expectedIndexes.put(i.name(), keys(i.partitionKey(), i.sortKey())));
            assertThat(indexes).as(what + " global secondary indexes").isEqualTo(expectedIndexes);

            if (table.ttlAttribute() == null) {
                assertThat(p).as(what + " has no TTL").doesNotContainKey("TimeToLiveSpecification");
            } else {
                Map<String, Object> ttl = map(p.get("TimeToLiveSpecification"));
                assertThat(ttl.get("AttributeName")).as(what + " TTL").isEqualTo(table.ttlAttribute());
                assertThat(ttl.get("Enabled")).as(what + " TTL").isEqualTo(true);
            }
        }
    }

    @Test
    void policiesNameOnlyIndexesThatExistAndNeverGrantScansOrWildcards() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, TableDefinition> tableByLogicalId = new LinkedHashMap<>();
        Map<String, Map<String, Object>> tables = t.resources("AWS::DynamoDB::Table");
        tables.forEach((id, r) -> tableByLogicalId.put(id, Tables.ALL.stream()
                .filter(d -> d.name().equals(baseName(properties(r)))).findFirst().orElseThrow()));

        Pattern index = Pattern.compile("\\$\\{(\\w+)\\.Arn}/index/([A-Za-z0-9_.*-]+)");
        for (var role : t.resources("AWS::IAM::Role").entrySet()) {
            for (Object policy : list(properties(role.getValue()).get("Policies"))) {
                for (Object s : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                    Map<String, Object> statement = map(s);
                    List<String> actions = strings(statement.get("Action"));
                    String where = role.getKey() + " " + statement.get("Sid");
                    assertThat(actions).as(where).noneMatch(a -> a.endsWith("*"));
                    assertThat(actions).as(where + ": no request is served by a scan (docs/architecture.md)")
                            .doesNotContain("dynamodb:Scan");
                    assertThat(statement.get("Resource")).as(where).isNotEqualTo("*");
                    Matcher m = index.matcher(String.valueOf(statement.get("Resource")));
                    while (m.find()) {
                        TableDefinition table = tableByLogicalId.get(m.group(1));
                        assertThat(table).as(where + " names table " + m.group(1)).isNotNull();
                        if (!m.group(2).equals("*")) {
                            assertThat(table.indexes().stream().map(TableDefinition.Index::name))
                                    .as(where + " names an index of " + table.name()).contains(m.group(2));
                        }
                    }
                }
            }
        }
    }

    @Test
    void theSigningKeyIsReadableByTheServerRoleOnlyAndNoFunctionReadsMediaObjects() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        for (var role : t.resources("AWS::IAM::Role").entrySet()) {
            String text = String.valueOf(properties(role.getValue()).get("Policies"));
            if (role.getKey().equals("ServerRole")) {
                assertThat(text).contains("secretsmanager:GetSecretValue").contains("SigningKeySecretArn");
            } else {
                assertThat(text).as(role.getKey()).doesNotContain("secretsmanager").doesNotContain("s3:");
            }
        }
    }

    @Test
    void theMediaBucketIsPrivateEncryptedAndTlsOnly() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Object> bucket = properties(t.resources().get("MediaBucket"));
        assertThat(map(bucket.get("PublicAccessBlockConfiguration")))
                .containsEntry("BlockPublicAcls", true).containsEntry("BlockPublicPolicy", true)
                .containsEntry("IgnorePublicAcls", true).containsEntry("RestrictPublicBuckets", true);
        assertThat(String.valueOf(bucket.get("BucketEncryption"))).contains("SSEAlgorithm");
        assertThat(String.valueOf(bucket.get("OwnershipControls"))).contains("BucketOwnerEnforced");

        Map<String, Object> policy = map(properties(t.resources().get("MediaBucketPolicy")).get("PolicyDocument"));
        assertThat(list(policy.get("Statement"))).anySatisfy(s -> {
            Map<String, Object> statement = map(s);
            assertThat(statement.get("Effect")).isEqualTo("Deny");
            assertThat(statement.get("Action")).isEqualTo("s3:*");
            assertThat(String.valueOf(statement.get("Condition"))).contains("aws:SecureTransport=false");
        });
    }

    @Test
    void theWebSocketApiRoutesConnectDisconnectAndDefaultToFunctionsOfTheOneLambdaJar() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        assertThat(properties(t.resources().get("WebSocketApi")).get("ProtocolType")).isEqualTo("WEBSOCKET");
        Set<String> routeKeys = new LinkedHashSet<>();
        t.resources("AWS::ApiGatewayV2::Route").values().forEach(r -> routeKeys.add((String) properties(r).get("RouteKey")));
        assertThat(routeKeys).containsExactlyInAnyOrder("$connect", "$disconnect", "$default");
        assertThat(t.resources("AWS::ApiGatewayV2::Stage")).hasSize(1);

        Set<Object> code = new LinkedHashSet<>();
        List<String> handlers = new ArrayList<>();
        t.resources("AWS::Lambda::Function").values().forEach(f -> {
            code.add(properties(f).get("Code"));
            handlers.add((String) properties(f).get("Handler"));
            assertThat(properties(f).get("Runtime")).isEqualTo("java21");
        });
        assertThat(code).as("every function runs the same jar").hasSize(1);
        assertThat(handlers).allMatch(h -> h.startsWith("chatapp.lambda.") && h.endsWith("::handleRequest"));
    }

    @Test
    void everyFunctionGetsTheSettingsItsHandlerReads() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        t.resources("AWS::Lambda::Function").forEach((id, f) -> {
            Map<String, Object> variables = map(map(properties(f).get("Environment")).get("Variables"));
            // Every handler reads the tables and records connections as held by this API.
            assertThat(variables).as(id).containsKeys("CHATAPP_TABLE_PREFIX", "CHATAPP_APIGATEWAY_ENDPOINT");
            if (String.valueOf(properties(f).get("Handler")).contains("ConnectHandler")) {
                assertThat(variables).as(id).containsKeys("CHATAPP_ALLOWED_ORIGINS", "CHATAPP_HELLO_FUNCTION");
            }
        });
    }

    private static Checkout.Result cfnLint(Path template) throws Exception {
        Path cfnLint = Checkout.venvTool("cfn-lint");
        return Checkout.run(List.of(cfnLint.toString(), "--", template.toString()), Map.of(), 300);
    }

    private static Map<String, Map<String, Object>> templateTables() throws Exception {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        CloudFormationTemplate.load(TEMPLATE).resources("AWS::DynamoDB::Table").forEach((id, r) -> {
            Map<String, Object> p = properties(r);
            assertThat(byName.put(baseName(p), p)).as("table " + baseName(p) + " defined once").isNull();
        });
        return byName;
    }

    /** {@code !Sub "${TablePrefix}users"} is {@code users}: every table name carries the prefix. */
    private static String baseName(Map<String, Object> properties) {
        Object name = map(properties.get("TableName")).get("Fn::Sub");
        assertThat(name).as("TableName is !Sub \"" + PREFIX + "<name>\"").asString().startsWith(PREFIX);
        return ((String) name).substring(PREFIX.length());
    }

    private static List<String> keySchema(Object schema) {
        List<String> out = new ArrayList<>();
        for (Object k : list(schema)) {
            out.add(map(k).get("KeyType") + " " + map(k).get("AttributeName"));
        }
        return out;
    }

    private static List<String> keys(TableDefinition.Key hash, TableDefinition.Key range) {
        List<String> out = new ArrayList<>(List.of("HASH " + hash.attribute()));
        if (range != null) {
            out.add("RANGE " + range.attribute());
        }
        return out;
    }

    private static Map<String, String> expectedAttributes(TableDefinition table) {
        Map<String, String> out = new LinkedHashMap<>();
        List<TableDefinition.Key> keys = new ArrayList<>();
        keys.add(table.partitionKey());
        keys.add(table.sortKey());
        table.indexes().forEach(i -> {
            keys.add(i.partitionKey());
            keys.add(i.sortKey());
        });
        keys.stream().filter(k -> k != null).forEach(k -> out.putIfAbsent(k.attribute(), k.type().toString()));
        return out;
    }

    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(o));
    }
}
