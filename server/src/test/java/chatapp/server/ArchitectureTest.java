package chatapp.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module and package boundaries of ARCHITECTURE.md ("Modules"), kept by the build. */
class ArchitectureTest {

    private static final String[] CORE = {"chatapp.core..", "chatapp.account..", "chatapp.chat..",
        "chatapp.realtime..", "chatapp.media.."};
    private static final String[] FEATURES = {"account", "chat", "realtime", "media"};

    private static final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("chatapp");

    @Test
    void coreUsesNoSpringNoSqlNoAwsSdk() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..",
                        "javax.sql..", "org.jdbi..", "org.flywaydb..", "org.sqlite..", "software.amazon..",
                        "com.amazonaws..", "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void coreDependsOnNoAdapterAndNoServer() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("chatapp.embedded..", "chatapp.aws..",
                        "chatapp.server..", "chatapp.lambda..", "chatapp.bench..")
                .check(classes);
    }

    @Test
    void adaptersDependOnCoreOnly() {
        noClasses().that().resideInAPackage("chatapp.embedded..")
                .should().dependOnClassesThat().resideInAnyPackage("chatapp.aws..", "chatapp.server..",
                        "chatapp.lambda..", "software.amazon..", "org.springframework..")
                .check(classes);
        noClasses().that().resideInAPackage("chatapp.aws..")
                .should().dependOnClassesThat().resideInAnyPackage("chatapp.embedded..", "chatapp.server..",
                        "chatapp.lambda..", "org.jdbi..", "org.sqlite..", "org.springframework..")
                .check(classes);
    }

    @Test
    void theRealtimeCoreIsSharedByBothShapesAndDependsOnCoreOnly() {
        // The frame codec and the frame handler live here, used unchanged by the gateway and the Lambda.
        noClasses().that().resideInAPackage("chatapp.realtime..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "chatapp.server..",
                        "chatapp.lambda..", "chatapp.aws..", "chatapp.embedded..", "software.amazon..",
                        "com.amazonaws..", "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void featurePackagesDoNotReachIntoEachOthersSubpackages() {
        for (String feature : FEATURES) {
            for (String other : FEATURES) {
                if (!feature.equals(other)) {
                    noClasses().that().resideInAPackage("chatapp." + feature + "..")
                            .should().dependOnClassesThat().resideInAPackage("chatapp." + other + ".*..")
                            .allowEmptyShould(true)
                            .check(classes);
                }
            }
        }
    }
}
