package io.daskkubernetes.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Core is a client: it may speak the operator's API (the kubernetes.dask.org/v1 types) but never
 * reach into the operator itself (which depends on core), nor into the local runtime.
 */
class CoreArchitectureTest {

    private static final JavaClasses CORE =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(
                            "io.daskkubernetes.cluster",
                            "io.daskkubernetes.config",
                            "io.daskkubernetes.scheduler",
                            "io.daskkubernetes.tls",
                            "io.daskkubernetes.adapt",
                            "io.daskkubernetes.operator.client");

    @Test
    void usesTheOperatorsApiButNotTheOperator() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.daskkubernetes.operator")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("io.javaoperatorsdk..", "io.daskkubernetes.local..")
                .because(
                        "the operator and the local runtime are separate modules; core is a client")
                .check(CORE);
    }
}
