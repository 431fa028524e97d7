package chatapp.apigatewaylocal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of the two modules without Spring that run API Gateway's side: this one sees
 * the Lambda handlers and the server together (the server's own test does not see the handlers).
 */
class ArchitectureTest {

    private static final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("chatapp");

    @Test
    void lambdaHandlersUseNoSpringAndNoServer() {
        // Cold starts: the functions load core, the AWS adapters and nothing heavier.
        noClasses().that().resideInAPackage("chatapp.lambda..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "chatapp.server..",
                        "chatapp.embedded..", "org.jdbi..", "org.sqlite..", "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void theLambdaFunctionsTakeTheirAdaptersFromAwsShape() {
        // One factory per shape: the functions never build a DynamoDB adapter themselves.
        DescribedPredicate<JavaClass> adapters = DescribedPredicate.describe("adapters of core's ports",
                c -> c.getPackageName().matches("chatapp\\.aws(\\..*)?") && c.getAllRawInterfaces().stream()
                        .anyMatch(i -> !i.getName().equals("chatapp.core.Shape")
                            && i.getPackageName().matches("chatapp\\.(account|chat|media|realtime|core)")));
        noClasses().that().resideInAPackage("chatapp.lambda..")
                .should().callConstructorWhere(DescribedPredicate.describe("the constructor of one of the adapters",
                        call -> adapters.test(call.getTargetOwner())))
                .check(classes);
    }

    @Test
    void theLocalGatewayUsesNoSpringAndNoServer() {
        // It stands in for API Gateway and Lambda, which know nothing of the server.
        noClasses().that().resideInAPackage("chatapp.apigatewaylocal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "chatapp.server..",
                        "chatapp.embedded..")
                .check(classes);
    }

    @Test
    void theServerDoesNotUseTheLambdaHandlersOrTheLocalGateway() {
        noClasses().that().resideInAPackage("chatapp.server..")
                .should().dependOnClassesThat().resideInAnyPackage("chatapp.lambda..", "chatapp.apigatewaylocal..",
                        "com.amazonaws.services.lambda..")
                .check(classes);
    }
}
