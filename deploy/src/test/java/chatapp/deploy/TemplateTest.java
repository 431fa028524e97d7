package chatapp.deploy;

import static chatapp.deploy.CloudFormationTemplate.list;
import static chatapp.deploy.CloudFormationTemplate.map;
import static chatapp.deploy.CloudFormationTemplate.properties;
import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.TableDefinition;
import chatapp.aws.Tables;
import chatapp.server.ChatAppProperties;
import chatapp.server.RetentionProperties;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkSystemSetting;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

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

    // ---------------------------------------------------------------- servers: network, instances, load balancer, DNS

    @Test
    void theInstancesGetDeployChatappEnvWithTheStacksValues() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, String> shipped = SupervisedServer.shippedEnvironment();
        Map<String, String> installed = userDataEnvironment(t);
        assertThat(List.copyOf(installed.keySet())).as("the user data's environment file, names and order")
                .isEqualTo(List.copyOf(shipped.keySet()));
        assertThat(installed).as("the key is read from Secrets Manager, never written on the instance")
                .doesNotContainKey("CHATAPP_SIGNING_KEY");

        Map<String, Object> outputs = t.section("Outputs");
        Map<String, Object> variables = userDataVariables(t);
        Pattern output = Pattern.compile("<(\\w+) output>");
        Pattern oneReference = Pattern.compile("\\$\\{([\\w:]+)}");
        shipped.forEach((name, value) -> {
            String stack = installed.get(name);
            if (!value.contains("<")) {
                assertThat(stack).as(name + " as shipped").isEqualTo(value);
                return;
            }
            Matcher o = output.matcher(value);
            if (o.matches()) {
                // The guide's step "fill in from the outputs", done by the template: the same value.
                assertThat(outputs).as(name + ": the guide names output " + o.group(1)).containsKey(o.group(1));
                Object outputValue = map(outputs.get(o.group(1))).get("Value");
                assertThat(subValue(stack, variables)).as(name + " is output " + o.group(1)).isEqualTo(outputValue);
            } else {
                assertThat(stack).as(name + " is one of the stack's values").matches(oneReference);
            }
        });
        assertThat(installed).containsEntry("AWS_REGION", "${AWS::Region}")
                .containsEntry("CHATAPP_ALLOWED_ORIGINS", "${AllowedOrigins}")
                .containsEntry("CHATAPP_SIGNING_KEY_SECRET", "${SigningKeySecretArn}");
    }

    @Test
    void everySettingTheInstancesGetIsOneTheServerReads() throws Exception {
        Map<String, String> installed = userDataEnvironment(CloudFormationTemplate.load(TEMPLATE));
        Set<String> chatapp = new LinkedHashSet<>();
        for (RecordComponent c : ChatAppProperties.class.getRecordComponents()) {
            chatapp.add("CHATAPP_" + c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
        for (RecordComponent c : RetentionProperties.class.getRecordComponents()) {
            chatapp.add("CHATAPP_RETENTION_" + c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
        for (RecordComponent c : chatapp.server.notification.PushProperties.class.getRecordComponents()) {
            chatapp.add("CHATAPP_PUSH_" + c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
        // package-private in the server (chatapp.email.*)
        for (RecordComponent c : Class.forName("chatapp.server.notification.EmailProperties").getRecordComponents()) {
            chatapp.add("CHATAPP_EMAIL_" + c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
        Set<String> spring = springBootPropertiesAsVariables();
        assertThat(spring).as("Spring Boot's configuration metadata on the classpath")
                .contains("SERVERPORT", "LOGGINGLEVEL");
        for (String name : installed.keySet()) {
            if (name.startsWith("CHATAPP_")) {
                assertThat(chatapp).as(name + " is a setting of ChatAppProperties or RetentionProperties").contains(name);
            } else if (name.startsWith("AWS_")) {
                assertThat(name).as("the AWS SDK's region variable").isEqualTo(SdkSystemSetting.AWS_REGION.environmentVariable());
            } else {
                assertThat(spring).as(name + " is a Spring Boot property").contains(name.replace("_", ""));
            }
        }
    }

    @Test
    void theInstancesRunTheSystemdUnitOfDeployVerbatim() throws Exception {
        String script = userDataScript(CloudFormationTemplate.load(TEMPLATE));
        assertThat(heredoc(script, "UNIT")).as("deploy/systemd/chatapp.service in the user data")
                .isEqualTo(Files.readString(Checkout.deploy("systemd/chatapp.service")));
        assertThat(script).contains("cat > /etc/systemd/system/chatapp.service <<'UNIT'")
                .contains("cat > /etc/chatapp/chatapp.env <<'ENV'")
                .contains("systemctl enable --now chatapp")
                // the paths the unit expects (SystemdUnitTest checks the unit runs the same JVM command)
                .contains("/opt/chatapp/chatapp-exec.jar").contains("--system --home-dir /var/lib/chatapp")
                .contains("java-21-amazon-corretto-headless");
        // EC2 takes at most 16 KB of user data, base64-encoded (4 bytes for every 3), after Fn::Sub.
        assertThat(script.length()).as("user data size").isLessThan(10_000);
        assertThat(script).as("the jar comes from the parameters' S3 location")
                .contains("'s3://${ServerJarBucket}/${ServerJarKey}' /opt/chatapp/chatapp-exec.jar");
    }

    @Test
    void theLoadBalancerChecksTheServersReadinessOnItsPort() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Map<String, Object>> groups = t.resources("AWS::ElasticLoadBalancingV2::TargetGroup");
        assertThat(groups).hasSize(1);
        Map<String, Object> group = properties(groups.values().iterator().next());
        int port = Integer.parseInt(SupervisedServer.shippedEnvironment().get("CHATAPP_PORT"));
        // SupervisorRestartTest waits for SupervisedServer.READINESS on the real server.
        assertThat(group.get("HealthCheckPath")).isEqualTo(SupervisedServer.READINESS);
        assertThat(group.get("Port")).isEqualTo(port);
        assertThat(map(group.get("Matcher")).get("HttpCode")).isEqualTo("200");
        assertThat(String.valueOf(group.get("TargetGroupAttributes"))).contains("Key=stickiness.enabled, Value=false");
        assertThat(userDataScript(t)).as("the instance signals once the same probe answers")
                .contains("curl -fsS -o /dev/null http://127.0.0.1:" + port + SupervisedServer.READINESS);

        // That path is the server's readiness group, on its one port.
        Properties server = serverApplicationProperties();
        assertThat(server.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
        assertThat(server.getProperty("management.endpoint.health.group.readiness.include")).contains("store");
        assertThat(server).doesNotContainKeys("management.endpoints.web.base-path", "management.server.port",
                "server.servlet.context-path");
    }

    @Test
    void theGuidesDeployCommandFitsTheTemplatesSize() throws Exception {
        long size = Files.size(TEMPLATE);
        // CloudFormation takes 51,200 bytes inline and 1 MB from S3 (its quotas).
        assertThat(size).isLessThan(1_000_000);
        String guide = Files.readString(Checkout.root().resolve("docs/deploy-aws.md"));
        int deploy = guide.indexOf("aws cloudformation deploy ");
        assertThat(deploy).as("docs/deploy-aws.md deploys the template").isNotNegative();
        String command = guide.substring(deploy, guide.indexOf("\n```", deploy));
        assertThat(command).contains("--template-file deploy/template.yaml");
        if (size > 51_200) {
            assertThat(command).as("a template of " + size + " bytes goes through S3").contains("--s3-bucket ");
        }
    }

    @Test
    void theLoadBalancerServesHttpsAndRedirectsHttp() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<Object, Map<String, Object>> byPort = new LinkedHashMap<>();
        t.resources("AWS::ElasticLoadBalancingV2::Listener").values().forEach(l -> byPort.put(properties(l).get("Port"), properties(l)));
        assertThat(byPort.keySet()).containsExactlyInAnyOrder(443, 80);

        Map<String, Object> https = byPort.get(443);
        assertThat(https.get("Protocol")).isEqualTo("HTTPS");
        assertThat(String.valueOf(https.get("Certificates"))).contains("Ref=CertificateArn");
        assertThat(String.valueOf(https.get("SslPolicy"))).startsWith("ELBSecurityPolicy-TLS13");
        assertThat(String.valueOf(https.get("DefaultActions"))).contains("Type=forward");

        Map<String, Object> http = byPort.get(80);
        Map<String, Object> redirect = map(map(list(http.get("DefaultActions")).getFirst()).get("RedirectConfig"));
        assertThat(redirect).containsEntry("Protocol", "HTTPS").containsEntry("Port", "443")
                .containsEntry("StatusCode", "HTTP_301");
    }

    @Test
    void onlyTheLoadBalancerReachesTheServersAndNoSshPortIsOpen() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        int port = Integer.parseInt(SupervisedServer.shippedEnvironment().get("CHATAPP_PORT"));
        Map<String, Object> servers = properties(t.resources().get("ServerSecurityGroup"));
        assertThat(servers).as("no inline ingress: only the rule below").doesNotContainKey("SecurityGroupIngress");
        assertThat(list(servers.get("SecurityGroupEgress"))).allSatisfy(e -> assertThat(map(e)).containsEntry("FromPort", 443)
                .containsEntry("ToPort", 443));

        List<Map<String, Object>> ingress = new ArrayList<>();
        t.resources("AWS::EC2::SecurityGroupIngress").values().forEach(r -> ingress.add(properties(r)));
        assertThat(ingress).filteredOn(r -> r.get("GroupId").equals(Map.of("Ref", "ServerSecurityGroup"))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("SourceSecurityGroupId", Map.of("Ref", "LoadBalancerSecurityGroup"))
                        .containsEntry("FromPort", port).containsEntry("ToPort", port).doesNotContainKey("CidrIp"));

        Map<String, Object> balancer = properties(t.resources().get("LoadBalancerSecurityGroup"));
        assertThat(list(balancer.get("SecurityGroupEgress"))).singleElement().satisfies(e -> assertThat(map(e))
                .containsEntry("DestinationSecurityGroupId", Map.of("Ref", "ServerSecurityGroup")).containsEntry("FromPort", port));
        List<Object> open = new ArrayList<>(list(balancer.get("SecurityGroupIngress")));
        open.addAll(ingress);
        assertThat(open).as("no rule opens SSH").noneSatisfy(r -> assertThat((int) map(r).get("FromPort")).isLessThanOrEqualTo(22));

        Map<String, Object> launch = map(properties(t.resources().get("ServerLaunchTemplate")).get("LaunchTemplateData"));
        assertThat(String.valueOf(launch.get("NetworkInterfaces"))).contains("Groups=[{Ref=ServerSecurityGroup}]");
        assertThat(map(launch.get("MetadataOptions"))).as("IMDSv2 only").containsEntry("HttpTokens", "required");
        assertThat(launch).doesNotContainKey("KeyName");
    }

    @Test
    void theInstanceRoleAllowsNoScanAndReadsOnlyItsJarOfTheArtifactBucket() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Object> launch = map(properties(t.resources().get("ServerLaunchTemplate")).get("LaunchTemplateData"));
        assertThat(launch.get("IamInstanceProfile")).isEqualTo(Map.of("Arn", Map.of("Fn::GetAtt", "ServerInstanceProfile.Arn")));
        assertThat(properties(t.resources().get("ServerInstanceProfile")).get("Roles")).isEqualTo(List.of(Map.of("Ref", "ServerRole")));

        Map<String, Map<String, Object>> server = new LinkedHashMap<>();
        statements(t).forEach((where, statement) -> {
            String id = where.substring(0, where.indexOf(' '));
            Map<String, Object> resource = t.resources().get(id);
            boolean attached = id.equals("ServerRole") || (resource.get("Type").equals("AWS::IAM::Policy")
                    && list(properties(resource).get("Roles")).contains(Map.of("Ref", "ServerRole")));
            if (attached) {
                server.put(where, statement);
            }
        });
        assertThat(server.keySet()).contains("ServerRole Tables", "ServerJarPolicy ServerJar");
        server.forEach((where, statement) -> assertThat(strings(statement.get("Action"))).as(where)
                .doesNotContain("dynamodb:Scan").noneMatch(a -> a.endsWith("*")));
        assertThat(server.get("ServerJarPolicy ServerJar")).containsEntry("Action", "s3:GetObject")
                .containsEntry("Resource", Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${ServerJarBucket}/${ServerJarKey}"));
        t.resources("AWS::IAM::Policy").forEach((id, p) -> assertThat(properties(p).get("Roles")).as(id + " is the server's")
                .isEqualTo(List.of(Map.of("Ref", "ServerRole"))));
    }

    @Test
    void theGroupIsCreatedOnceEveryInstanceIsReadyAndReleasesReplaceThemOneByOne() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Map<String, Object>> groups = t.resources("AWS::AutoScaling::AutoScalingGroup");
        assertThat(groups.keySet()).containsExactly("ServerGroup");
        Map<String, Object> group = groups.get("ServerGroup");
        assertThat(userDataScript(t)).as("the user data signals this group").contains("--resource ServerGroup");
        assertThat(map(map(group.get("CreationPolicy")).get("ResourceSignal"))).containsEntry("Count", Map.of("Ref", "InstanceCount"));
        Map<String, Object> rolling = map(map(group.get("UpdatePolicy")).get("AutoScalingRollingUpdate"));
        assertThat(rolling).containsEntry("WaitOnResourceSignals", true).containsEntry("MaxBatchSize", 1)
                .containsEntry("MinInstancesInService", Map.of("Ref", "InstanceCount"));
        Map<String, Object> p = properties(group);
        assertThat(p).containsEntry("HealthCheckType", "ELB").containsEntry("DesiredCapacity", Map.of("Ref", "InstanceCount"));
        assertThat(p.get("TargetGroupARNs")).isEqualTo(List.of(Map.of("Ref", "ServerTargetGroup")));
        assertThat(map(p.get("LaunchTemplate")).get("Version"))
                .isEqualTo(Map.of("Fn::GetAtt", "ServerLaunchTemplate.LatestVersionNumber"));
    }

    @Test
    void theNetworkAndTheDomainsAreCreatedOnlyWhenAsked() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Object> conditions = t.section("Conditions");
        assertThat(conditions.get("CreateVpc")).isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "ExistingVpcId"), "")));
        assertThat(map(map(t.section("Parameters").get("ExistingVpcId"))).get("Default")).isEqualTo("");

        Map<String, String> expected = new LinkedHashMap<>();
        for (String type : List.of("AWS::EC2::VPC", "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment",
                "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation",
                "AWS::EC2::VPCEndpoint")) {
            assertThat(t.resources(type)).as(type).isNotEmpty();
            t.resources(type).keySet().forEach(id -> expected.put(id, "CreateVpc"));
        }
        expected.put("AppDnsRecord", "HasAppDns");
        expected.put("WebSocketDomain", "HasWebSocketDomain");
        expected.put("WebSocketApiMapping", "HasWebSocketDomain");
        expected.put("WebSocketDnsRecord", "HasWebSocketDns");
        expected.forEach((id, condition) -> {
            assertThat(t.resources().get(id)).as(id).containsEntry("Condition", condition);
            assertThat(conditions).as(condition).containsKey(condition);
        });
        assertThat(t.resources("AWS::Route53::RecordSet").keySet()).containsExactlyInAnyOrder("AppDnsRecord", "WebSocketDnsRecord");
        assertThat(map(t.section("Outputs").get("WebSocketDomainTarget"))).containsEntry("Condition", "HasWebSocketDomain");
        assertThat(t.section("Outputs")).containsKeys("AppUrl", "LoadBalancerDnsName", "ServerGroupName", "VpcId");

        // Without them, the servers and the load balancer use the given VPC's subnets.
        String balancer = String.valueOf(properties(t.resources().get("LoadBalancer")).get("Subnets"));
        String instances = String.valueOf(properties(t.resources().get("ServerGroup")).get("VPCZoneIdentifier"));
        assertThat(balancer).contains("CreateVpc").contains("Ref=ExistingLoadBalancerSubnetIds");
        assertThat(instances).contains("CreateVpc").contains("Ref=ExistingInstanceSubnetIds");
        assertThat(String.valueOf(t.section("Rules"))).contains("ExistingLoadBalancerSubnetIds").contains("ExistingInstanceSubnetIds");
    }

    @Test
    void usersDataCanBeRestoredAndOutlivesTheStack() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        t.resources("AWS::DynamoDB::Table").forEach((id, table) -> {
            assertThat(table.get("DeletionPolicy")).as(id).isIn("Retain", "RetainExceptOnCreate");
            assertThat(table.get("UpdateReplacePolicy")).as(id).isEqualTo("Retain");
            // Connection records only say which sockets API Gateway holds now: nothing to restore.
            if (!baseName(properties(table)).equals("WebSocketConnections")) {
                assertThat(map(properties(table).get("PointInTimeRecoverySpecification")))
                        .as(id + " point-in-time recovery").containsEntry("PointInTimeRecoveryEnabled", true);
            }
        });
        Map<String, Object> bucket = t.resources().get("MediaBucket");
        assertThat(bucket.get("DeletionPolicy")).isIn("Retain", "RetainExceptOnCreate");
        assertThat(map(properties(bucket).get("VersioningConfiguration"))).containsEntry("Status", "Enabled");
    }
    // ---------------------------------------------------------------- end of servers

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
        Map<String, Map<String, Object>> statements = statements(t);
        assertThat(statements).isNotEmpty();
        statements.forEach((where, statement) -> {
            List<String> actions = strings(statement.get("Action"));
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
        });
    }

    @Test
    void theSigningKeyIsReadableByTheServerAndReminderRolesOnlyTheVapidKeysAlsoByDefaultAndNoFunctionReadsMediaObjects()
            throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        for (var role : t.resources("AWS::IAM::Role").entrySet()) {
            String text = String.valueOf(properties(role.getValue()).get("Policies"));
            if (role.getKey().equals("ServerRole")) {
                assertThat(text).contains("secretsmanager:GetSecretValue").contains("SigningKeySecretArn")
                        .contains("EmailSmtpPasswordSecretArn");
            } else if (role.getKey().equals("ReminderRole")) {
                // the unsubscribe links' key is derived from the signing key; it sends, so it reads the SMTP password
                assertThat(text).contains("SigningKeySecretArn").contains("EmailSmtpPasswordSecretArn")
                        .doesNotContain("VapidKeysSecretArn").doesNotContain("s3:");
                assertThat(text.split("secretsmanager", -1).length).as("only those two secrets")
                        .isEqualTo(text.split("SigningKeySecretArn|EmailSmtpPasswordSecretArn", -1).length);
            } else if (role.getKey().equals("DefaultRole")) {
                // $default sends Web Push: it may read the VAPID keys' secret, never the signing key.
                assertThat(text).doesNotContain("SigningKeySecretArn").doesNotContain("s3:");
                assertThat(text.split("secretsmanager", -1).length).as("only the VAPID keys' secret")
                        .isEqualTo(text.split("VapidKeysSecretArn", -1).length);
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

    /** docs/audit.md, "Retention": the bucket expires messages' media only, never a profile photo. */
    @Test
    void theBucketsRetentionRuleExpiresOnlyObjectsTheServerTagsAsMessagesMedia() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Object> lifecycle = map(properties(t.resources().get("MediaBucket")).get("LifecycleConfiguration"));
        Map<String, Object> retention = null;
        for (Object rule : list(lifecycle.get("Rules"))) {
            Map<String, Object> r = map(rule);
            if (r.containsKey("Fn::If")) {
                assertThat(list(r.get("Fn::If")).getFirst()).isEqualTo("HasMessageRetention");
                retention = map(list(r.get("Fn::If")).get(1));
            } else {
                assertThat(r).as("every other rule keeps current objects").doesNotContainKeys("ExpirationInDays",
                        "ExpirationDate");
            }
        }
        assertThat(retention).as("the retention rule").isNotNull()
                .containsEntry("Id", "retention").containsEntry("ExpirationInDays", Map.of("Ref", "MessageRetentionDays"));
        assertThat(retention.get("TagFilters")).isEqualTo(List.of(Map.of("Key", chatapp.aws.media.S3MediaFiles.RETENTION_TAG_KEY,
                "Value", chatapp.aws.media.S3MediaFiles.RETENTION_TAG_VALUE)));
        assertThat(retention).doesNotContainKeys("Prefix", "ObjectSizeGreaterThan");
        // Putting an object with a tag needs PutObjectTagging besides PutObject.
        assertThat(strings(statements(t).get("ServerRole MediaObjects").get("Action")))
                .contains("s3:PutObject", "s3:PutObjectTagging");
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
            assertThat(variables).as(id).containsKey("CHATAPP_TABLE_PREFIX");
            if (String.valueOf(properties(f).get("Handler")).contains("ReminderHandler")) {
                return; // no connection: emails only (theReminderFunctionGetsEveryEmailSettingWiringReads)
            }
            // Every WebSocket handler records connections as held by this API.
            assertThat(variables).as(id).containsKey("CHATAPP_APIGATEWAY_ENDPOINT");
            if (String.valueOf(properties(f).get("Handler")).contains("ConnectHandler")) {
                assertThat(variables).as(id).containsKeys("CHATAPP_ALLOWED_ORIGINS", "CHATAPP_HELLO_FUNCTION");
            }
            if (String.valueOf(properties(f).get("Handler")).contains("DefaultHandler")) {
                // Web Push runs where a message is accepted (docs/notifications.md).
                assertThat(variables).as(id).containsKeys("CHATAPP_PUSH_VAPID_KEYS_SECRET", "CHATAPP_PUSH_SUBJECT");
                // It queues unread-message reminders as the servers do (Wiring#queueRemindersWith), never sends.
                assertThat(variables).as(id).containsEntry("CHATAPP_EMAIL_SMTP_HOST", Map.of("Ref", "EmailSmtpHost"))
                        .containsEntry("CHATAPP_EMAIL_REMINDER_FUNCTION_ARN", ifEmail(Map.of("Fn::GetAtt", "ReminderFunction.Arn")))
                        .containsEntry("CHATAPP_EMAIL_REMINDER_ROLE_ARN", ifEmail(Map.of("Fn::GetAtt", "ReminderSchedulerRole.Arn")))
                        .doesNotContainKeys("CHATAPP_EMAIL_SMTP_PASSWORD_SECRET", "CHATAPP_SIGNING_KEY_SECRET");
            }
        });
    }

    @Test
    void everyFunctionSettingIsOneTheLambdaCodeReads() throws Exception {
        Set<String> read = new LinkedHashSet<>();
        Pattern literal = Pattern.compile("\"(CHATAPP_[A-Z0-9_]+)\"");
        for (String module : List.of("lambda", "aws")) {
            try (var files = Files.walk(Checkout.root().resolve(module + "/src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = literal.matcher(Files.readString(f));
                    while (m.find()) {
                        read.add(m.group(1));
                    }
                }
            }
        }
        assertThat(read).as("the Lambda's settings").contains("CHATAPP_TABLE_PREFIX", "CHATAPP_EMAIL_SMTP_PASSWORD_SECRET");
        CloudFormationTemplate.load(TEMPLATE).resources("AWS::Lambda::Function").forEach((id, f) ->
                map(map(properties(f).get("Environment")).get("Variables")).keySet().stream()
                        .filter(name -> !name.equals("JAVA_TOOL_OPTIONS"))
                        .forEach(name -> assertThat(read).as(id + ": " + name + " is read by the lambda or aws code").contains(name)));
    }

    // ---------------------------------------------------------------- email (docs/notifications.md, "Email")

    @Test
    void emailIsOffUnlessTheSmtpHostIsSetAndEverythingOfItIsConditional() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Object> parameters = t.section("Parameters");
        assertThat(map(parameters.get("EmailSmtpHost"))).containsEntry("Default", "");
        assertThat(t.section("Conditions").get("HasEmail"))
                .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "EmailSmtpHost"), "")))));
        List<String> email = List.of("ReminderLogGroup", "ReminderFunction", "ReminderInvokeConfig", "ReminderRole",
                "ReminderSchedulerRole", "ReminderErrorsAlarm");
        for (String id : email) {
            assertThat(t.resources().get(id)).as(id).containsEntry("Condition", "HasEmail");
        }
        assertThat(t.resources("AWS::Lambda::Function")).containsKey("ReminderFunction");
        assertThat(String.valueOf(t.section("Rules").get("EmailNeedsSender"))).contains("EmailFrom");

        // A secret is never a parameter's value: only the ARN of a Secrets Manager secret.
        parameters.forEach((name, p) -> {
            if (name.matches(".*(Password|Secret|Key(s)?)(Arn)?") && !name.endsWith("CodeKey") && !name.endsWith("JarKey")) {
                assertThat(name).as(name).endsWith("SecretArn");
                assertThat(String.valueOf(map(p).get("AllowedPattern"))).as(name).contains("arn:aws[a-z-]*:secretsmanager:");
            }
        });
        assertThat(parameters).containsKey("EmailSmtpPasswordSecretArn").doesNotContainKey("EmailSmtpPassword");
    }

    @Test
    void theReminderFunctionGetsEveryEmailSettingWiringReadsAndSchedulesSummariesToItself() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Object> function = properties(t.resources().get("ReminderFunction"));
        assertThat(function.get("Handler")).isEqualTo(chatapp.lambda.ReminderHandler.class.getName() + "::handleRequest");
        assertThat(function.get("Role")).isEqualTo(Map.of("Fn::GetAtt", "ReminderRole.Arn"));
        assertThat(function.get("FunctionName")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-reminder"));
        Map<String, Object> variables = map(map(function.get("Environment")).get("Variables"));
        assertThat(variables).containsEntry("CHATAPP_EMAIL_SMTP_HOST", Map.of("Ref", "EmailSmtpHost"))
                .containsEntry("CHATAPP_EMAIL_SMTP_PORT", Map.of("Ref", "EmailSmtpPort"))
                .containsEntry("CHATAPP_EMAIL_SMTP_USERNAME", Map.of("Ref", "EmailSmtpUsername"))
                .containsEntry("CHATAPP_EMAIL_SMTP_PASSWORD_SECRET", Map.of("Ref", "EmailSmtpPasswordSecretArn"))
                .containsEntry("CHATAPP_EMAIL_FROM", Map.of("Ref", "EmailFrom"))
                .containsKey("CHATAPP_EMAIL_APP_URL")
                .containsEntry("CHATAPP_SIGNING_KEY_SECRET", Map.of("Ref", "SigningKeySecretArn"))
                .containsEntry("CHATAPP_EMAIL_REMINDER_ROLE_ARN", Map.of("Fn::GetAtt", "ReminderSchedulerRole.Arn"))
                .doesNotContainKey("CHATAPP_EMAIL_SMTP_PASSWORD");
        // Its own ARN, spelled out (a reference to itself would be circular), is the one Scheduler may invoke.
        Object ownArn = variables.get("CHATAPP_EMAIL_REMINDER_FUNCTION_ARN");
        assertThat(ownArn).isEqualTo(Map.of("Fn::Sub",
                "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${AWS::StackName}-reminder"));
        Map<String, Map<String, Object>> statements = statements(t);
        assertThat(statements.get("ReminderSchedulerRole InvokeReminder")).containsEntry("Action", "lambda:InvokeFunction")
                .containsEntry("Resource", ownArn);

        // The servers get the same settings (the user data's variables) and the same ARNs as $default.
        Map<String, String> installed = userDataEnvironment(t);
        Map<String, Object> subVariables = userDataVariables(t);
        assertThat(installed).containsEntry("CHATAPP_EMAIL_SMTP_HOST", "${EmailSmtpHost}")
                .containsEntry("CHATAPP_EMAIL_SMTP_PASSWORD_SECRET", "${EmailSmtpPasswordSecretArn}")
                .doesNotContainKey("CHATAPP_EMAIL_SMTP_PASSWORD");
        assertThat(subVariables.get("ReminderFunctionArn")).isEqualTo(ifEmail(Map.of("Fn::GetAtt", "ReminderFunction.Arn")));
        assertThat(subVariables.get("ReminderSchedulerRoleArn")).isEqualTo(ifEmail(Map.of("Fn::GetAtt", "ReminderSchedulerRole.Arn")));
        assertThat(subVariables.get("EmailAppUrlOrAppUrl")).isEqualTo(variables.get("CHATAPP_EMAIL_APP_URL"));
    }

    @Test
    void onlySchedulerMayAssumeTheSchedulerRoleAndItMayOnlyInvokeTheReminderFunction() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Object> role = properties(t.resources().get("ReminderSchedulerRole"));
        Map<String, Object> trust = map(list(map(role.get("AssumeRolePolicyDocument")).get("Statement")).getFirst());
        assertThat(list(map(role.get("AssumeRolePolicyDocument")).get("Statement"))).hasSize(1);
        assertThat(trust).containsEntry("Principal", Map.of("Service", "scheduler.amazonaws.com"))
                .containsEntry("Action", "sts:AssumeRole");
        assertThat(String.valueOf(trust.get("Condition"))).contains("aws:SourceAccount");
        assertThat(statements(t).keySet()).filteredOn(k -> k.startsWith("ReminderSchedulerRole "))
                .containsExactly("ReminderSchedulerRole InvokeReminder");
        assertThat(role).doesNotContainKey("ManagedPolicyArns");
    }

    @Test
    void theServersDefaultAndTheReminderFunctionMayCreateReminderSchedulesAndPassOnlyTheSchedulerRole() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Method name = chatapp.aws.EventBridgeReminders.class.getDeclaredMethod("scheduleName", chatapp.notification.Reminder.class);
        name.setAccessible(true);
        String schedule = (String) name.invoke(null, new chatapp.notification.Reminder("u1", "c1", java.time.Instant.EPOCH));
        String resource = "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/default/chatapp-reminder-*";
        // EventBridgeReminders names its schedules so (group "default": it names none)
        assertThat(schedule).matches("chatapp-reminder-[0-9a-f]+");

        Map<String, Map<String, Object>> statements = statements(t);
        Set<String> scheduling = new LinkedHashSet<>();
        Set<String> passing = new LinkedHashSet<>();
        statements.forEach((where, statement) -> {
            List<String> actions = strings(statement.get("Action"));
            if (actions.stream().anyMatch(a -> a.startsWith("scheduler:"))) {
                // create only: each schedule deletes itself after its run (ActionAfterCompletion=DELETE)
                assertThat(actions).as(where).containsExactly("scheduler:CreateSchedule");
                assertThat(statement.get("Resource")).as(where).isEqualTo(Map.of("Fn::Sub", resource));
                scheduling.add(where.substring(0, where.indexOf(' ')));
            }
            if (actions.stream().anyMatch(a -> a.startsWith("iam:"))) {
                assertThat(actions).as(where).containsExactly("iam:PassRole");
                assertThat(statement.get("Resource")).as(where).isEqualTo(Map.of("Fn::GetAtt", "ReminderSchedulerRole.Arn"));
                assertThat(String.valueOf(statement.get("Condition"))).as(where)
                        .contains("iam:PassedToService=scheduler.amazonaws.com");
                passing.add(where.substring(0, where.indexOf(' ')));
            }
        });
        assertThat(scheduling).containsExactlyInAnyOrder("ServerRole", "DefaultRole", "ReminderRole");
        assertThat(passing).isEqualTo(scheduling);
        for (String role : List.of("ServerRole", "DefaultRole")) {
            assertThat(String.valueOf(policyStatements(t, role))).as(role + ": only with email")
                    .contains("Fn::If=[HasEmail, {Sid=ReminderSchedules").contains("Fn::If=[HasEmail, {Sid=PassSchedulerRole");
        }
    }

    @Test
    void theReminderRoleTouchesOnlyReminderAndPreferenceItemsOfTheAuthTable() throws Exception {
        CloudFormationTemplate t = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Map<String, Object>> reminder = new LinkedHashMap<>();
        statements(t).forEach((where, s) -> {
            if (where.startsWith("ReminderRole ")) {
                reminder.put(where, s);
            }
        });
        reminder.forEach((where, s) -> {
            if (String.valueOf(s.get("Resource")).contains("AuthTable")) {
                assertThat(String.valueOf(s.get("Condition"))).as(where)
                        .isEqualTo("{ForAllValues:StringLike={dynamodb:LeadingKeys=[reminder#*, prefs#*]}}");
            }
            assertThat(strings(s.get("Action"))).as(where).noneMatch(a -> a.equals("dynamodb:UpdateItem")
                    || a.equals("dynamodb:BatchWriteItem") || a.startsWith("s3:") || a.startsWith("execute-api:"));
        });
        assertThat(reminder.keySet()).contains("ReminderRole ReminderItems", "ReminderRole Recipient", "ReminderRole Unread");
    }

    private static Map<String, Object> ifEmail(Object value) {
        return Map.of("Fn::If", List.of("HasEmail", value, ""));
    }

    /** One role's inline policy statements, as written (conditional ones still in their {@code Fn::If}). */
    private static List<Object> policyStatements(CloudFormationTemplate t, String role) {
        List<Object> out = new ArrayList<>();
        for (Object policy : list(properties(t.resources().get(role)).get("Policies"))) {
            out.addAll(list(map(map(policy).get("PolicyDocument")).get("Statement")));
        }
        return out;
    }

    /** The user data's shell script (the first argument of its {@code Fn::Sub}). */
    private static String userDataScript(CloudFormationTemplate t) {
        return (String) list(userDataSub(t)).get(0);
    }

    /** The user data's {@code Fn::Sub} variables. */
    private static Map<String, Object> userDataVariables(CloudFormationTemplate t) {
        return map(list(userDataSub(t)).get(1));
    }

    private static Object userDataSub(CloudFormationTemplate t) {
        Map<String, Object> data = map(properties(t.resources().get("ServerLaunchTemplate")).get("LaunchTemplateData"));
        return map(map(data.get("UserData")).get("Fn::Base64")).get("Fn::Sub");
    }

    /** The environment file the user data writes, as KEY to value (still with its ${...}). */
    private static Map<String, String> userDataEnvironment(CloudFormationTemplate t) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : heredoc(userDataScript(t), "ENV").lines().toList()) {
            int eq = line.indexOf('=');
            assertThat(eq).as("KEY=value: " + line).isPositive();
            assertThat(env.put(line.substring(0, eq), line.substring(eq + 1))).as(line).isNull();
        }
        return env;
    }

    /** The text of {@code cat > ... <<'MARK'} up to the line {@code MARK}. */
    private static String heredoc(String script, String mark) {
        int start = script.indexOf("<<'" + mark + "'\n");
        assertThat(start).as("here-document " + mark).isNotNegative();
        start = script.indexOf('\n', start) + 1;
        int end = script.indexOf("\n" + mark + "\n", start - 1);
        assertThat(end).as("end of here-document " + mark).isGreaterThanOrEqualTo(start - 1);
        return script.substring(start, end + 1);
    }

    /**
     * What a value of the user data's {@code Fn::Sub} stands for, in the form an output would
     * write it: one variable is its definition, one parameter or resource its {@code Ref}, a longer
     * text itself as {@code Fn::Sub}.
     */
    private static Object subValue(String value, Map<String, Object> variables) {
        Matcher one = Pattern.compile("\\$\\{(\\w+)}").matcher(value);
        if (one.matches()) {
            return variables.containsKey(one.group(1)) ? variables.get(one.group(1)) : Map.of("Ref", one.group(1));
        }
        return Map.of("Fn::Sub", value);
    }

    /** Every Spring Boot property of the server's classpath, as its environment variable without underscores. */
    private static Set<String> springBootPropertiesAsVariables() throws Exception {
        Set<String> out = new LinkedHashSet<>();
        ObjectMapper json = new ObjectMapper();
        var resources = TemplateTest.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (resources.hasMoreElements()) {
            try (InputStream in = resources.nextElement().openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    out.add(property.path("name").asString().replace("-", "").replace(".", "").toUpperCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** The server's {@code application.properties} (the server module is on this module's test classpath). */
    private static Properties serverApplicationProperties() throws Exception {
        URL url = ChatAppProperties.class.getClassLoader().getResource("application.properties");
        assertThat(url).as("the server's application.properties").isNotNull();
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        }
        assertThat(p.getProperty("spring.application.name")).isEqualTo("chatapp");
        return p;
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

    /**
     * Every statement of every role's inline policies and of every {@code AWS::IAM::Policy}, by
     * "logical id Sid".
     */
    private static Map<String, Map<String, Object>> statements(CloudFormationTemplate t) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        t.resources("AWS::IAM::Role").forEach((id, r) -> {
            Object policies = properties(r).get("Policies");
            for (Object policy : policies == null ? List.of() : list(policies)) {
                addStatements(out, id, map(policy).get("PolicyDocument"));
            }
        });
        t.resources("AWS::IAM::Policy").forEach((id, r) -> addStatements(out, id, properties(r).get("PolicyDocument")));
        return out;
    }

    private static void addStatements(Map<String, Map<String, Object>> out, String id, Object document) {
        for (Object s : list(map(document).get("Statement"))) {
            Map<String, Object> statement = map(s);
            if (statement.containsKey("Fn::If")) { // a statement only under a condition: check it as if it held
                statement = map(list(statement.get("Fn::If")).get(1));
            }
            assertThat(out.put(id + " " + statement.get("Sid"), statement)).as(id + " Sids are unique").isNull();
        }
    }

    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(o));
    }
}
