package io.daskkubernetes.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checked-in CRDs list their printer columns as upstream's do, not sorted by JSON path. */
class PrinterColumnOrderTest {

    private static final Path CRDS = Path.of("..", "deploy", "crds");

    @Test
    void aDaskClusterShowsWorkersStatusAgeAsUpstream() throws IOException {
        assertThat(columns(DaskCluster.class)).containsExactly("Workers", "Status", "Age");
    }

    @Test
    void aDaskWorkerGroupKeepsUpstreamsWorkersFirstAndAgeLast() throws IOException {
        assertThat(columns(DaskWorkerGroup.class))
                .containsExactly("Workers", "Current", "Cluster", "Age");
    }

    @Test
    void theOtherKindsFollowUpstreamToo() throws IOException {
        assertThat(columns(DaskJob.class)).containsExactly("Status", "Number Of Workers", "Age");
        assertThat(columns(DaskAutoscaler.class))
                .containsExactly("Cluster", "Minimum", "Maximum", "Age");
    }

    @Test
    void everyKindsColumnsAreInTheOrderOfItsAnnotations() throws IOException {
        for (Class<? extends CustomResource<?, ?>> kind : PrinterColumnOrder.KINDS) {
            assertThat(columns(kind))
                    .as(kind.getSimpleName())
                    .isEqualTo(PrinterColumnOrder.declared(kind));
        }
    }

    private static List<String> columns(Class<? extends CustomResource<?, ?>> kind)
            throws IOException {
        CustomResourceDefinition crd =
                Serialization.unmarshal(
                        Files.readString(CRDS.resolve(CustomResource.getCRDName(kind) + "-v1.yml")),
                        CustomResourceDefinition.class);
        return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                .map(CustomResourceColumnDefinition::getName)
                .toList();
    }
}
