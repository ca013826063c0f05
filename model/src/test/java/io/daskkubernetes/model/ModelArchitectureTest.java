package io.daskkubernetes.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The model decides and never does: no files, environment, clock, randomness of its own or
 * Kubernetes client. Those are the inputs its callers pass in.
 */
class ModelArchitectureTest {

    private static final JavaClasses MODEL =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.daskkubernetes.model");

    @Test
    void touchesNoFilesOrNetwork() {
        ArchRule rule =
                noClasses()
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage("java.nio.file..", "java.net..")
                        .orShould()
                        .dependOnClassesThat()
                        .haveFullyQualifiedName("java.io.File")
                        .orShould()
                        .dependOnClassesThat()
                        .haveFullyQualifiedName("java.io.FileInputStream")
                        .orShould()
                        .dependOnClassesThat()
                        .haveFullyQualifiedName("java.io.FileReader")
                        .because("templates and config files are read by core and passed in");
        rule.check(MODEL);
    }

    @Test
    void readsNoEnvironmentOrSystemProperties() {
        ArchRule rule =
                noClasses()
                        .should()
                        .callMethod(System.class, "getenv")
                        .orShould()
                        .callMethod(System.class, "getenv", String.class)
                        .orShould()
                        .callMethod(System.class, "getProperty", String.class)
                        .orShould()
                        .callMethod(System.class, "getProperty", String.class, String.class)
                        .because("the environment and the login are inputs of the model");
        rule.check(MODEL);
    }

    @Test
    void hasNoClockOrRandomnessOfItsOwn() {
        ArchRule rule =
                noClasses()
                        .should()
                        .callMethod(System.class, "currentTimeMillis")
                        .orShould()
                        .callMethod(System.class, "nanoTime")
                        .orShould()
                        .dependOnClassesThat()
                        .haveFullyQualifiedName("java.time.Clock")
                        .orShould()
                        .callMethod(Instant.class, "now")
                        .orShould()
                        .callConstructor(SecureRandom.class)
                        .orShould()
                        .callConstructor(Random.class)
                        .orShould()
                        .callMethod(java.util.UUID.class, "randomUUID")
                        .because("time and randomness are inputs, so that the model is repeatable");
        rule.check(MODEL);
    }

    @Test
    void neverTalksToKubernetes() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClient")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.fabric8.kubernetes.client.dsl..", "io.fabric8.kubernetes.client.impl..")
                .because("the model builds objects; core sends them")
                .check(MODEL);
    }

    @Test
    void dependsOnNoOtherModuleOfTheProject() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.daskkubernetes.cluster..",
                        "io.daskkubernetes.config..",
                        "io.daskkubernetes.scheduler..",
                        "io.daskkubernetes.cli..",
                        "io.daskkubernetes.local..")
                .check(MODEL);
    }
}
