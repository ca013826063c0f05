package io.daskkubernetes.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Schema checks and pruning of custom resources, worded as kube-apiserver words them. */
class SchemaViolationsTest {

    private static final JsonNode SCHEMA =
            json(
                    """
                    {"type": "object", "properties": {
                      "spec": {"type": "object", "required": ["worker", "mode"], "properties": {
                        "worker": {"type": "object", "required": ["spec"], "properties": {
                          "replicas": {"type": "integer", "minimum": 0.0, "maximum": 100,
                                       "default": 1},
                          "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                          "port": {"x-kubernetes-int-or-string": true,
                                   "anyOf": [{"type": "integer"}, {"type": "string"}]}}},
                        "mode": {"type": "string", "enum": ["fast", "slow"]},
                        "name": {"type": "string", "maxLength": 5, "pattern": "^[a-z]+$"},
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                        "args": {"type": "array", "maxItems": 2, "items": {"type": "string"}}}},
                      "status": {"type": "object", "properties": {
                        "phase": {"type": "string"}}}}}
                    """);

    private static List<String> violations(String object) {
        SchemaViolations violations = new SchemaViolations();
        violations.check(SCHEMA, json(object), "");
        return violations.causes().stream().map(c -> c.getField() + ": " + c.getMessage()).toList();
    }

    @Test
    void aValidObjectHasNone() {
        assertThat(
                        violations(
                                """
                                {"spec": {"mode": "fast", "worker": {"replicas": 2, "spec": {"x": 1},
                                  "port": "http"}, "labels": {"a": "b"}, "args": ["x"]}}
                                """))
                .isEmpty();
    }

    @Test
    void aNegativeCountIsBelowTheMinimumAsKubeApiserverSaysIt() {
        assertThat(
                        violations(
                                "{\"spec\": {\"mode\": \"fast\", \"worker\": {\"replicas\": -1, \"spec\": {}}}}"))
                .containsExactly(
                        "spec.worker.replicas: Invalid value: -1: spec.worker.replicas in body"
                                + " should be greater than or equal to 0");
        assertThat(
                        violations(
                                "{\"spec\": {\"mode\": \"fast\", \"worker\": {\"replicas\": 101, \"spec\": {}}}}"))
                .containsExactly(
                        "spec.worker.replicas: Invalid value: 101: spec.worker.replicas in body"
                                + " should be less than or equal to 100");
    }

    @Test
    void missingRequiredFieldsAreNamedEach() {
        assertThat(violations("{\"spec\": {\"worker\": {}}}"))
                .containsExactlyInAnyOrder(
                        "spec.mode: Required value", "spec.worker.spec: Required value");
    }

    @Test
    void wrongTypesAreNamedWithTheTypeWanted() {
        assertThat(
                        violations(
                                "{\"spec\": {\"mode\": \"fast\", \"worker\": {\"replicas\": \"two\","
                                        + " \"spec\": {}, \"port\": true}, \"labels\": {\"a\": 1}}}"))
                .containsExactlyInAnyOrder(
                        "spec.worker.replicas: Invalid value: \"string\": spec.worker.replicas in"
                                + " body must be of type integer: \"string\"",
                        "spec.worker.port: Invalid value: \"boolean\": spec.worker.port in body"
                                + " must be of type integer,string: \"boolean\"",
                        "spec.labels[a]: Invalid value: \"integer\": spec.labels[a] in body must be"
                                + " of type string: \"integer\"");
    }

    @Test
    void enumsLengthsPatternsAndItemCountsAreChecked() {
        assertThat(
                        violations(
                                "{\"spec\": {\"mode\": \"medium\", \"worker\": {\"spec\": {}},"
                                        + " \"name\": \"Abcdef\", \"args\": [\"a\", \"b\", \"c\"]}}"))
                .containsExactlyInAnyOrder(
                        "spec.mode: Unsupported value: \"medium\": supported values: \"fast\","
                                + " \"slow\"",
                        "spec.name: Too long: may not be longer than 5",
                        "spec.name: Invalid value: \"Abcdef\": spec.name in body should match"
                                + " '^[a-z]+$'",
                        "spec.args: Too many: 3: must have at most 2 items");
    }

    @Test
    void causesCarryKubernetesReasons() {
        SchemaViolations violations = new SchemaViolations();
        violations.check(
                SCHEMA, json("{\"spec\": {\"worker\": {\"replicas\": -1, \"spec\": {}}}}"), "");
        assertThat(violations.causes())
                .extracting(StatusCause::getReason)
                .containsExactlyInAnyOrder("FieldValueRequired", "FieldValueInvalid");
    }

    @Test
    void pruningDropsUnknownFieldsButKeepsWhatTheSchemaPreserves() {
        ObjectNode object =
                (ObjectNode)
                        json(
                                """
                                {"apiVersion": "x/v1", "kind": "K", "metadata": {"name": "n", "odd": 1},
                                 "unknownTop": 1,
                                 "spec": {"mode": "fast", "typo": true, "labels": {"k": "v"},
                                   "worker": {"spec": {"anything": {"goes": 1}}, "replicas": null}},
                                 "status": {"phase": "Running", "extra": 2}}
                                """);
        SchemaPruning.pruneObject(SCHEMA, object);
        assertThat(object)
                .isEqualTo(
                        json(
                                """
                                {"apiVersion": "x/v1", "kind": "K", "metadata": {"name": "n", "odd": 1},
                                 "spec": {"mode": "fast", "labels": {"k": "v"},
                                   "worker": {"spec": {"anything": {"goes": 1}}}},
                                 "status": {"phase": "Running"}}
                                """));
    }

    @Test
    void defaultsFillInWhatIsAbsentWhereItsParentIsThere() {
        JsonNode object = json("{\"spec\": {\"mode\": \"fast\", \"worker\": {\"spec\": {}}}}");
        SchemaDefaults.apply(SCHEMA.at("/properties/spec"), object.get("spec"));
        assertThat(object.at("/spec/worker/replicas").asInt()).isEqualTo(1);

        JsonNode kept = json("{\"spec\": {\"worker\": {\"replicas\": 0}}}");
        SchemaDefaults.apply(SCHEMA.at("/properties/spec"), kept.get("spec"));
        assertThat(kept.at("/spec/worker/replicas").asInt()).isZero();
    }

    private static JsonNode json(String text) {
        return Serialization.unmarshal(text, JsonNode.class);
    }
}
