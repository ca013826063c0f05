package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.local.api.ApiRequest;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The request observer sees each request with the attributes an RBAC authorizer decides on, {@code
 * SelfSubjectRulesReview} (what JOSDK asks before leader election) answers that the runtime's one
 * user may do everything; a CRD applied with kubectl (nested schema parts) is accepted under strict
 * field validation and Established, as Helm waits for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestObserverTest {

    private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
    private LocalKubernetes kubernetes;
    private KubectlSupport kubectl;

    @BeforeAll
    void start() {
        kubernetes = LocalKubernetes.builder().observeRequests(requests::add).start();
        kubectl = new KubectlSupport(kubernetes);
    }

    @AfterAll
    void stop() {
        if (kubernetes != null) {
            kubernetes.close();
        }
    }

    @Test
    void kubectlRequestsAreSeenWithTheirRbacVerbAndResource() throws Exception {
        kubectl.ok("get", "pods", "-n", "kube-public");
        assertThat(kubectl.run(null, "get", "pod", "nothing-here").output()).contains("NotFound");
        List<String> kubectlCalls =
                requests.stream()
                        .filter(r -> r.userAgent() != null && r.userAgent().startsWith("kubectl"))
                        .filter(ApiRequest::isResourceRequest)
                        .map(r -> r.verb() + " " + r.resource() + " " + r.namespace())
                        .toList();
        assertThat(kubectlCalls).contains("list pods kube-public", "get pods default");
    }

    @Test
    void selfSubjectRulesReviewGrantsEverything() {
        // as JOSDK asks it (kubectl's can-i --list sends protobuf, which is not read for this kind)
        var review =
                kubernetes
                        .client()
                        .authorization()
                        .v1()
                        .selfSubjectRulesReview()
                        .create(
                                new SelfSubjectRulesReviewBuilder()
                                        .withNewSpec()
                                        .withNamespace("default")
                                        .endSpec()
                                        .build());
        assertThat(review.getStatus().getResourceRules())
                .singleElement()
                .satisfies(
                        rule -> {
                            assertThat(rule.getVerbs()).containsExactly("*");
                            assertThat(rule.getApiGroups()).containsExactly("*");
                            assertThat(rule.getResources()).containsExactly("*");
                        });
        assertThat(requests)
                .anyMatch(
                        r ->
                                r.verb().equals("create")
                                        && "selfsubjectrulesreviews".equals(r.resource())
                                        && r.group().equals("authorization.k8s.io"));
    }

    @Test
    void aCrdWithNestedSchemaPartsPassesStrictValidationAndIsEstablished() throws Exception {
        String crd =
                """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: widgets.example.org
                spec:
                  group: example.org
                  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
                  scope: Namespaced
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec:
                              type: object
                              properties:
                                labels:
                                  type: object
                                  additionalProperties: {type: string}
                                ports:
                                  type: array
                                  items: {type: integer}
                """;
        // kubectl's default: client-side and server-side (Strict) field validation
        KubectlSupport.Result applied =
                kubectl.run(
                        crd.getBytes(java.nio.charset.StandardCharsets.UTF_8), "apply", "-f", "-");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(
                        kubectl.ok(
                                "get",
                                "crd",
                                "widgets.example.org",
                                "-o",
                                "jsonpath={.status.conditions[?(@.type==\"Established\")].status}"))
                .isEqualTo("True");
    }
}
