package chatapp.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code deploy/template.yaml} parsed as plain maps and lists, with CloudFormation's short-form
 * tags turned into their long form ({@code !Sub x} becomes {@code {"Fn::Sub": x}}, {@code !Ref x}
 * becomes {@code {"Ref": x}}), so that tests read it as CloudFormation does.
 */
final class CloudFormationTemplate {

    private final Map<String, Object> root;

    private CloudFormationTemplate(Map<String, Object> root) {
        this.root = root;
    }

    static CloudFormationTemplate load(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new CloudFormationConstructor()).load(in);
            return new CloudFormationTemplate(root);
        }
    }

    /** Logical id to resource ({@code Type}, {@code Properties}, ...), in template order. */
    Map<String, Map<String, Object>> resources() {
        return map(root.get("Resources"));
    }

    /** A top-level section ({@code Parameters}, {@code Conditions}, {@code Outputs}, ...) by name. */
    Map<String, Object> section(String name) {
        return map(root.get(name));
    }

    /** The resources of one type, by logical id. */
    Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        resources().forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                out.put(id, r);
            }
        });
        return out;
    }

    static Map<String, Object> properties(Map<String, Object> resource) {
        return map(resource.get("Properties"));
    }

    @SuppressWarnings("unchecked")
    static <V> Map<String, V> map(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new AssertionError("expected a mapping, found " + o);
        }
        return (Map<String, V>) m;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (!(o instanceof List<?> l)) {
            throw new AssertionError("expected a list, found " + o);
        }
        return (List<Object>) l;
    }

    /** Short-form intrinsic functions as long-form single-key maps. */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue();
                    if (!tag.startsWith("!")) {
                        throw new IllegalArgumentException("unexpected YAML tag " + tag);
                    }
                    String name = tag.substring(1);
                    String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                    Object value = switch (node) {
                        case ScalarNode s -> constructScalar(s);
                        case SequenceNode s -> constructSequence(s);
                        case MappingNode m -> constructMapping(m);
                        default -> throw new IllegalArgumentException("unexpected node " + node);
                    };
                    return Map.of(key, value);
                }
            });
        }
    }
}
