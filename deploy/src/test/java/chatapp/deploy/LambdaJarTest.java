package chatapp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * {@code lambda/target/chatapp-lambda.jar} is the one deployable jar the template names: every
 * handler of the template is in it, loads from it alone (no other class path) and has the public
 * no-argument constructor Lambda calls; and it carries no Spring.
 */
class LambdaJarTest {

    private static final Path JAR = Checkout.root().resolve("lambda/target/chatapp-lambda.jar");

    @Test
    void everyHandlerOfTheTemplateLoadsFromTheJarAloneAndLambdaCanConstructIt() throws Exception {
        assertThat(JAR).as("built by the lambda module's package phase").isRegularFile();
        List<String> handlers = new ArrayList<>();
        CloudFormationTemplate.load(Checkout.deploy("template.yaml")).resources("AWS::Lambda::Function")
                .values().forEach(f -> handlers.add(((String) CloudFormationTemplate.properties(f).get("Handler"))
                        .replace("::handleRequest", "")));
        assertThat(handlers).hasSize(5); // connect, hello, disconnect, default, reminder
        try (URLClassLoader jarOnly = new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> requestHandler = jarOnly.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler");
            Class<?> streamHandler = jarOnly.loadClass("com.amazonaws.services.lambda.runtime.RequestStreamHandler");
            for (String name : handlers) {
                Class<?> handler = Class.forName(name, true, jarOnly);
                assertThat(requestHandler.isAssignableFrom(handler) || streamHandler.isAssignableFrom(handler))
                        .as(name + " is a Lambda handler").isTrue();
                assertThat(Modifier.isPublic(handler.getModifiers())).as(name).isTrue();
                assertThat(handler.getConstructor().newInstance()).as(name + "()").isNotNull();
            }
        }
    }

    @Test
    void theJarCarriesNoSpringAndNoServer() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.stream().map(e -> e.getName()))
                    .noneMatch(n -> n.startsWith("org/springframework/") || n.startsWith("chatapp/server/")
                            || n.startsWith("org/apache/catalina/"))
                    .anyMatch(n -> n.equals("chatapp/lambda/DefaultHandler.class"));
        }
        System.out.printf("chatapp-lambda.jar: %.1f MB%n", Files.size(JAR) / 1e6);
    }
}
