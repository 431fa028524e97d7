package chatapp.server;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** The module and package boundaries of docs/architecture.md ("Modules"), kept by the build. */
class ArchitectureTest {

    private static final String[] CORE = {"chatapp.core..", "chatapp.account..", "chatapp.chat..",
        "chatapp.realtime..", "chatapp.media..", "chatapp.importing..", "chatapp.audit..", "chatapp.userdata.."};
    private static final String[] FEATURES = {"account", "chat", "realtime", "media", "audit"};
    /** Where the server chooses the adapters (ShapeConfiguration): the one place that names them. */
    private static final String SHAPE = "chatapp.server.shape..";
    /** Serves the disk adapter's signed URLs, which only that adapter can check. */
    private static final String MEDIA_FILE_CONTROLLER = "chatapp.server.media.MediaFileController";

    /** An adapter: a class of the embedded or aws module serving a port of core (not the shape factories). */
    private static final DescribedPredicate<JavaClass> ADAPTERS = DescribedPredicate.describe("adapters",
            c -> c.getPackageName().matches("chatapp\\.(embedded|aws)(\\..*)?")
                    && c.getAllRawInterfaces().stream()
                            .anyMatch(i -> !i.getName().equals("chatapp.core.Shape")
                            && i.getPackageName().matches("chatapp\\.(account|chat|media|realtime|core|audit)")));

    private static final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // not the code Spring's AOT processing generates (Foo__BeanDefinitions), when a package ran before
            .withImportOption(location -> !location.contains("__"))
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

    @Test
    void onlyTheShapeConfigurationNamesAdapters() {
        // The command line creates tables and reads the signing-key secret through AwsShape.
        noClasses().that().resideInAPackage("chatapp.server..")
                .and().resideOutsideOfPackages(SHAPE, "chatapp.server.cli..")
                .and().doNotHaveFullyQualifiedName(MEDIA_FILE_CONTROLLER)
                .should().dependOnClassesThat().resideInAnyPackage("chatapp.embedded..", "chatapp.aws..")
                .check(classes);
        noClasses().that().resideInAPackage("chatapp.server..").and().resideOutsideOfPackage(SHAPE)
                .and().doNotHaveFullyQualifiedName(MEDIA_FILE_CONTROLLER)
                .should().dependOnClassesThat(ADAPTERS)
                .check(classes);
        noClasses().that().haveFullyQualifiedName(MEDIA_FILE_CONTROLLER)
                .should().dependOnClassesThat(resideInAnyPackage("chatapp.embedded..", "chatapp.aws..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(
                                chatapp.embedded.media.DiskMediaFiles.class))))
                .check(classes);
    }

    @Test
    void onlyTheShapeConfigurationReadsTheStoreSetting() {
        // The others that read it refuse what the shape cannot do (a key from the data directory,
        // scheduled backups of SQLite); none chooses an adapter by it.
        noClasses().that().resideInAPackage("chatapp.server..").and().resideOutsideOfPackages(SHAPE, "chatapp.server.cli..")
                .and().doNotHaveFullyQualifiedName("chatapp.server.security.SigningKeys")
                .and().doNotHaveFullyQualifiedName("chatapp.server.operations.ScheduledBackup")
                .should().callMethod(ChatAppProperties.class, "store")
                .check(classes);
    }

    /**
     * Spring's AOT processing fixes every condition at build time (docs/decisions/0058-spring-aot.md):
     * a condition on a {@code chatapp.*} setting would serve the build machine's choice whatever is
     * configured at start. Those choices are made inside the beans.
     */
    @Test
    void noConditionReadsAChatAppSetting() {
        List<String> readers = new ArrayList<>();
        for (JavaClass c : classes) {
            Stream<? extends JavaMember> members = Stream.concat(c.getMethods().stream(), c.getConstructors().stream());
            Stream.concat(Stream.of(c.tryGetAnnotationOfType(ConditionalOnProperty.class)).flatMap(o -> o.stream()),
                            members.flatMap(m -> m.tryGetAnnotationOfType(ConditionalOnProperty.class).stream()))
                    .filter(on -> Stream.concat(Stream.of(on.name()), Stream.of(on.value()))
                            .anyMatch(name -> (on.prefix() + "." + name).contains("chatapp.")))
                    .forEach(on -> readers.add(c.getName()));
            if (c.isAnnotatedWith(ConditionalOnExpression.class)
                    || c.getMethods().stream().anyMatch(m -> m.isAnnotatedWith(ConditionalOnExpression.class))) {
                readers.add(c.getName());
            }
        }
        assertThat(readers).isEmpty();
    }

    @Test
    void serverPackagesDoNotDependOnEachOtherInCircles() {
        slices().matching("chatapp.server.(*)..").should().beFreeOfCycles().check(classes);
    }
}
