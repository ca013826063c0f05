package io.daskkubernetes.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream's operator manifests (examples/operator, unchanged) read into our types and validate
 * against our generated CRDs; and the CRDs reject what upstream's reject.
 */
class UpstreamManifestsTest {

    private static final Path MANIFESTS = Path.of("..", "examples", "operator");
    private static final Path CRDS = Path.of("..", "deploy", "crds");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<? extends HasMetadata>> KINDS =
            Map.of(
                    "DaskCluster", DaskCluster.class,
                    "DaskWorkerGroup", DaskWorkerGroup.class,
                    "DaskJob", DaskJob.class,
                    "DaskAutoscaler", DaskAutoscaler.class);

    static Stream<Path> manifests() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(MANIFESTS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSize(3);
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void deserialisesIntoOurTypesWithoutLosingAField(Path manifest) throws IOException {
        JsonNode tree = YAML.readTree(manifest.toFile());
        Class<? extends HasMetadata> type = KINDS.get(tree.get("kind").asText());
        assertThat(type).as("a type for kind %s", tree.get("kind")).isNotNull();

        HasMetadata typed =
                YAML.copy()
                        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                        .treeToValue(tree, type);

        JsonNode roundTrip = Serialization.jsonMapper().valueToTree(typed);
        assertThat(withoutStatus(roundTrip)).isEqualTo(tree);
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void validatesAgainstTheGeneratedCrd(Path manifest) throws IOException {
        JsonNode tree = YAML.readTree(manifest.toFile());
        assertThat(schemaFor(tree.get("kind").asText()).violations(specOnly(tree))).isEmpty();
    }

    @Test
    void theClusterSchemaRequiresSchedulerAndWorkerAndTypesReplicas() throws IOException {
        JsonNode cluster = YAML.readTree(MANIFESTS.resolve("simplecluster.yaml").toFile());
        StructuralSchema schema = schemaFor("DaskCluster");

        ObjectNode noScheduler = (ObjectNode) specOnly(cluster);
        ((ObjectNode) noScheduler.get("spec")).remove("scheduler");
        assertThat(schema.violations(noScheduler)).containsExactly(".spec.scheduler: required");

        ObjectNode textReplicas = (ObjectNode) specOnly(cluster);
        ((ObjectNode) textReplicas.get("spec").get("worker")).put("replicas", "two");
        assertThat(schema.violations(textReplicas))
                .containsExactly(".spec.worker.replicas: must be an integer, not STRING");

        ObjectNode negative = (ObjectNode) specOnly(cluster);
        ((ObjectNode) negative.get("spec").get("worker")).put("replicas", -1);
        assertThat(schema.violations(negative))
                .containsExactly(".spec.worker.replicas: must be at least 0.0");

        ObjectNode noPodSpec = (ObjectNode) specOnly(cluster);
        ((ObjectNode) noPodSpec.get("spec").get("worker")).remove("spec");
        assertThat(schema.violations(noPodSpec)).containsExactly(".spec.worker.spec: required");
    }

    @Test
    void theWorkerGroupSchemaRequiresItsCluster() throws IOException {
        ObjectNode group =
                (ObjectNode)
                        specOnly(
                                YAML.readTree(
                                        MANIFESTS.resolve("simpleworkergroup.yaml").toFile()));
        ((ObjectNode) group.get("spec")).remove("cluster");
        assertThat(schemaFor("DaskWorkerGroup").violations(group))
                .containsExactly(".spec.cluster: required");
    }

    @Test
    void theCrdsHaveUpstreamsNamesScaleAndStatus() throws IOException {
        JsonNode cluster = crd("DaskCluster");
        assertThat(cluster.at("/spec/names/shortNames/0").asText()).isEqualTo("dsk");
        assertThat(cluster.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(cluster.at("/spec/versions/0/subresources/scale/specReplicasPath").asText())
                .isEqualTo(".spec.worker.replicas");
        assertThat(cluster.at("/spec/versions/0/subresources/scale/statusReplicasPath").asText())
                .isEqualTo(".status.replicas");
        assertThat(cluster.at("/spec/versions/0/subresources/scale/labelSelectorPath").asText())
                .isEqualTo(".status.selector");
        JsonNode group = crd("DaskWorkerGroup");
        assertThat(group.at("/spec/names/shortNames/0").asText()).isEqualTo("daskworkers");
        assertThat(group.at("/spec/versions/0/subresources/scale/specReplicasPath").asText())
                .isEqualTo(".spec.worker.replicas");
        assertThat(cluster.at("/spec/versions/0/additionalPrinterColumns").findValuesAsText("name"))
                .containsExactlyInAnyOrder("Workers", "Status", "Age");
    }

    @Test
    void theCheckedInCrdsAreTheGeneratedOnes() throws IOException {
        for (String kind : KINDS.keySet()) {
            String file = fileName(kind);
            try (var generated = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
                assertThat(generated).as("generated %s on the classpath", file).isNotNull();
                assertThat(Files.readString(CRDS.resolve(file)))
                        .as(
                                "deploy/crds/%s is stale: run mvn -pl operator-api process-classes",
                                file)
                        .isEqualTo(new String(generated.readAllBytes()));
            }
        }
    }

    private static JsonNode withoutStatus(JsonNode tree) {
        ObjectNode copy = tree.deepCopy();
        copy.remove("status");
        return copy;
    }

    /** What the API server validates: everything but apiVersion, kind and metadata. */
    private static JsonNode specOnly(JsonNode tree) {
        ObjectNode copy = tree.deepCopy();
        copy.remove(List.of("apiVersion", "kind", "metadata"));
        return copy;
    }

    private static StructuralSchema schemaFor(String kind) throws IOException {
        JsonNode schema = crd(kind).at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
        ((ObjectNode) schema.get("properties")).remove(List.of("apiVersion", "kind", "metadata"));
        return new StructuralSchema(schema);
    }

    private static JsonNode crd(String kind) throws IOException {
        return YAML.readTree(CRDS.resolve(fileName(kind)).toFile());
    }

    private static String fileName(String kind) {
        return kind.toLowerCase() + "s." + DaskCluster.GROUP + "-v1.yml";
    }
}
