package io.daskkubernetes.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Custom resources are admitted against their CRD's schema on create, replace and patch: 422
 * Invalid naming the field, as kube-apiserver answers, and nothing stored; unknown fields pruned.
 */
class CustomResourceValidationTest {

    private static final String NAMESPACE = "schemas";
    private static final String CRD =
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            spec:
              group: example.com
              scope: Namespaced
              names: {kind: Widget, plural: widgets, singular: widget}
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        required: [size]
                        properties:
                          size: {type: string, enum: [small, large]}
                          replicas: {type: integer, minimum: 0}
                      status:
                        type: object
                        properties:
                          phase: {type: string}
            """;

    private static EmbeddedApiServer server;
    private static KubernetesClient client;
    private static MixedOperation<
                    GenericKubernetesResource,
                    GenericKubernetesResourceList,
                    Resource<GenericKubernetesResource>>
            widgets;

    @BeforeAll
    static void start() {
        server = EmbeddedApiServer.start(ClusterIpAllocator.loopback());
        client = AuthenticatedConnections.clientInNewNamespace(server, NAMESPACE);
        client.resource(Serialization.unmarshal(CRD, CustomResourceDefinition.class)).create();
        widgets =
                client.genericKubernetesResources(
                        new ResourceDefinitionContext.Builder()
                                .withGroup("example.com")
                                .withVersion("v1")
                                .withKind("Widget")
                                .withPlural("widgets")
                                .withNamespaced(true)
                                .build());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void deleteWidgets() {
        widgets.inNamespace(NAMESPACE).delete();
    }

    private static GenericKubernetesResource widget(String name, Map<String, Object> spec) {
        GenericKubernetesResource widget = new GenericKubernetesResource();
        widget.setApiVersion("example.com/v1");
        widget.setKind("Widget");
        widget.setMetadata(
                new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        widget.setAdditionalProperty("spec", spec);
        return widget;
    }

    private static KubernetesClientException refusal(Runnable write) {
        return catchThrowableOfType(KubernetesClientException.class, write::run);
    }

    @Test
    void aNegativeCountIsRefusedNamingTheFieldAndNothingIsStored() {
        KubernetesClientException e =
                refusal(
                        () ->
                                widgets.inNamespace(NAMESPACE)
                                        .resource(
                                                widget(
                                                        "w",
                                                        Map.of("size", "small", "replicas", -1)))
                                        .create());

        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(e.getStatus().getMessage())
                .isEqualTo(
                        "Widget.example.com \"w\" is invalid: spec.replicas: Invalid value: -1:"
                                + " spec.replicas in body should be greater than or equal to 0");
        assertThat(e.getStatus().getDetails().getCauses())
                .extracting(StatusCause::getField)
                .containsExactly("spec.replicas");
        assertThat(widgets.inNamespace(NAMESPACE).withName("w").get()).isNull();
    }

    @Test
    void aMissingRequiredFieldAndABadNameAreRefused() {
        KubernetesClientException missing =
                refusal(
                        () ->
                                widgets.inNamespace(NAMESPACE)
                                        .resource(widget("w", Map.of("replicas", 1)))
                                        .create());
        assertThat(missing.getCode()).isEqualTo(422);
        assertThat(missing.getStatus().getMessage()).endsWith("spec.size: Required value");

        KubernetesClientException badName =
                refusal(
                        () ->
                                widgets.inNamespace(NAMESPACE)
                                        .resource(widget("Bad_Name", Map.of("size", "small")))
                                        .create());
        assertThat(badName.getCode()).isEqualTo(422);
        assertThat(badName.getStatus().getMessage())
                .contains("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123");
        assertThat(widgets.inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void patchesAndReplacementsAreCheckedAndLeaveTheObjectAsItWas() {
        widgets.inNamespace(NAMESPACE)
                .resource(widget("w", Map.of("size", "small", "replicas", 2)))
                .create();

        KubernetesClientException patch =
                refusal(
                        () ->
                                widgets.inNamespace(NAMESPACE)
                                        .withName("w")
                                        .patch(
                                                io.fabric8.kubernetes.client.dsl.base.PatchContext
                                                        .of(
                                                                io.fabric8.kubernetes.client.dsl
                                                                        .base.PatchType.JSON_MERGE),
                                                "{\"spec\":{\"replicas\":-3}}"));
        assertThat(patch.getCode()).isEqualTo(422);
        assertThat(patch.getStatus().getMessage()).contains("Invalid value: -3");

        GenericKubernetesResource stored = widgets.inNamespace(NAMESPACE).withName("w").get();
        stored.setAdditionalProperty("spec", Map.of("size", "medium"));
        KubernetesClientException replace =
                refusal(() -> widgets.inNamespace(NAMESPACE).resource(stored).update());
        assertThat(replace.getCode()).isEqualTo(422);
        assertThat(replace.getStatus().getMessage())
                .endsWith(
                        "spec.size: Unsupported value: \"medium\": supported values: \"small\","
                                + " \"large\"");

        assertThat(
                        widgets.inNamespace(NAMESPACE)
                                .withName("w")
                                .get()
                                .getAdditionalProperties()
                                .get("spec"))
                .isEqualTo(Map.of("size", "small", "replicas", 2));
    }

    @Test
    void unknownFieldsArePrunedAsFromAStructuralSchema() {
        widgets.inNamespace(NAMESPACE)
                .resource(widget("w", Map.of("size", "large", "colour", "red")))
                .create();

        assertThat(
                        widgets.inNamespace(NAMESPACE)
                                .withName("w")
                                .get()
                                .getAdditionalProperties()
                                .get("spec"))
                .isEqualTo(Map.of("size", "large"));
    }
}
