package io.daskkubernetes.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream's operator manifests (examples/operator, unchanged) pass the runtime's admission against
 * the project's checked-in CRDs (deploy/crds): no violation, and not one field pruned. Files only:
 * the local module does not depend on the operator's.
 */
class UpstreamManifestsAdmissionTest {

    private static final Path MANIFESTS = Path.of("..", "examples", "operator");
    private static final Path CRDS = Path.of("..", "deploy", "crds");

    static Stream<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).hasSize(3);
            return yaml.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void validatesAndKeepsEveryField(Path manifest) throws IOException {
        JsonNode object = Serialization.unmarshal(Files.readString(manifest), JsonNode.class);
        JsonNode schema = schemaOf(object.get("kind").asText());

        ObjectNode pruned = object.deepCopy();
        SchemaPruning.pruneObject(schema, pruned);
        SchemaViolations violations = new SchemaViolations();
        violations.check(schema, object, "");

        assertThat(violations.causes())
                .extracting(StatusCause::getMessage)
                .as(manifest.toString())
                .isEmpty();
        assertThat(pruned).as("nothing pruned from %s", manifest).isEqualTo(object);
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void aNegativeReplicaCountIsRefused(Path manifest) throws IOException {
        ObjectNode object =
                (ObjectNode) Serialization.unmarshal(Files.readString(manifest), JsonNode.class);
        JsonNode spec = object.get("spec");
        ObjectNode worker =
                (ObjectNode)
                        (spec.has("worker") ? spec.get("worker") : spec.at("/cluster/spec/worker"));
        worker.put("replicas", -1);

        SchemaViolations violations = new SchemaViolations();
        violations.check(schemaOf(object.get("kind").asText()), object, "");

        assertThat(violations.causes())
                .extracting(StatusCause::getMessage)
                .singleElement()
                .asString()
                .startsWith("Invalid value: -1: ")
                .endsWith(".worker.replicas in body should be greater than or equal to 0");
    }

    private static JsonNode schemaOf(String kind) throws IOException {
        try (Stream<Path> files = Files.list(CRDS)) {
            for (Path file : files.toList()) {
                CustomResourceDefinition crd =
                        Serialization.unmarshal(
                                Files.readString(file), CustomResourceDefinition.class);
                if (crd.getSpec().getNames().getKind().equals(kind)) {
                    return Serialization.jsonMapper()
                            .valueToTree(
                                    crd.getSpec()
                                            .getVersions()
                                            .get(0)
                                            .getSchema()
                                            .getOpenAPIV3Schema());
                }
            }
        }
        throw new AssertionError("no CRD of kind " + kind + " in " + CRDS);
    }
}
