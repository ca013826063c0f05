package io.daskkubernetes.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The local runtime runs any pod: it knows nothing of Dask or of this project's client. */
class LocalArchitectureTest {

    @Test
    void standsAloneFromTheClientAndTheModel() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.daskkubernetes.cluster..",
                        "io.daskkubernetes.config..",
                        "io.daskkubernetes.scheduler..",
                        "io.daskkubernetes.adapt..",
                        "io.daskkubernetes.model..",
                        "io.daskkubernetes.cli..")
                .because("the local runtime is a Kubernetes, not a part of the Dask client")
                .check(
                        new ClassFileImporter()
                                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                                .importPackages("io.daskkubernetes.local"));
    }
}
