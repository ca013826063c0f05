package io.daskkubernetes.operator.deploy;

import static io.daskkubernetes.operator.deploy.DeployManifests.kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.operator.CustomResourceDefinitions;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code helm install} (a real Helm through helm-java) and {@code kubectl apply -k} put the
 * operator's objects into the local runtime, the CRDs are served, and uninstalling removes what was
 * installed. The Deployment is scaled to 0: no operator image can run here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallIntoLocalRuntimeTest {

    /** Where kustomize's overlays install. */
    private static final String NAMESPACE = DeployManifests.NAMESPACE;

    /** Helm's release goes elsewhere, so that the two installs never meet. */
    private static final String HELM_NAMESPACE = "dask-helm";

    private static final String NAME = DeployManifests.RELEASE;

    private LocalKubernetes local;

    @BeforeAll
    void start() {
        local = LocalKubernetes.builder().start();
    }

    @AfterAll
    void stop() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    @Timeout(180)
    void helmInstallServesTheCrdsAndUninstallRemovesTheRelease() {
        Release release =
                new Helm(DeployManifests.CHART)
                        .install()
                        .withName(NAME)
                        .withNamespace(HELM_NAMESPACE)
                        .createNamespace()
                        .set("replicas", "0")
                        .withKubeConfig(local.kubeconfig())
                        .call();
        assertThat(release.getStatus()).isEqualTo("deployed");
        KubernetesClient client = local.client();
        try {
            assertThat(servedDaskResources())
                    .containsAll(List.of("daskclusters", "daskworkergroups", "daskjobs"));
            assertThat(kubectl(local.kubeconfig(), "get", "daskclusters", "-A"))
                    .isEmpty(); // kubectl knows the kind
            assertThat(installedObjects(HELM_NAMESPACE))
                    .containsExactlyInAnyOrder(
                            "ServiceAccount",
                            "Deployment",
                            "Service",
                            "ClusterRole",
                            "ClusterRoleBinding",
                            "Role",
                            "RoleBinding");

            String out =
                    Helm.uninstall(NAME)
                            .withNamespace(HELM_NAMESPACE)
                            .withKubeConfig(local.kubeconfig())
                            .call();
            assertThat(out).contains("uninstalled");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> installedObjects(HELM_NAMESPACE).isEmpty());
            // Helm never deletes what a chart's crds/ installed (it would delete every
            // DaskCluster); docs/install-operator.md says how to remove them.
            assertThat(servedDaskResources()).contains("daskclusters");
        } finally {
            CustomResourceDefinitions.all().forEach(crd -> client.resource(crd).delete());
        }
    }

    @Test
    @Timeout(180)
    void kubectlApplyKustomizeServesTheCrdsAndDeleteRemovesEverything(@TempDir Path dir)
            throws IOException {
        // the namespaced overlay with no replica: kustomize takes relative paths only
        Path overlay = DeployManifests.OVERLAYS.resolve("namespaced");
        Files.writeString(
                dir.resolve("kustomization.yaml"),
                """
                resources:
                  - %s
                patches:
                  - target: {kind: Deployment}
                    patch: |-
                      - op: replace
                        path: /spec/replicas
                        value: 0
                """
                        .formatted(dir.toAbsolutePath().relativize(overlay)));

        kubectl(local.kubeconfig(), "apply", "-k", dir.toString());
        assertThat(servedDaskResources())
                .containsAll(List.of("daskclusters", "daskworkergroups", "daskjobs"));
        assertThat(installedObjects(NAMESPACE))
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "Deployment",
                        "Service",
                        "Role",
                        "RoleBinding",
                        "Role",
                        "RoleBinding");
        assertThat(kubectl(local.kubeconfig(), "get", "clusterroles", "-o", "name"))
                .doesNotContain("dask-kubernetes-operator");

        // --ignore-not-found: the local runtime empties a namespace at once when it is deleted
        // (a real one takes a while), so kubectl finds the namespace's objects already gone
        kubectl(
                local.kubeconfig(),
                "delete",
                "-k",
                dir.toString(),
                "--wait=false",
                "--ignore-not-found");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                installedObjects(NAMESPACE).isEmpty()
                                        && servedDaskResources().isEmpty());
        assertThat(local.client().namespaces().withName(NAMESPACE).get()).isNull();
    }

    private Set<String> servedDaskResources() {
        APIResourceList list = local.client().getApiResources("kubernetes.dask.org/v1");
        return list == null
                ? Set.of()
                : list.getResources().stream()
                        .map(APIResource::getName)
                        .filter(n -> !n.contains("/"))
                        .collect(Collectors.toSet());
    }

    /** Kinds of the operator's objects present in {@code namespace} and cluster-wide. */
    private List<String> installedObjects(String namespace) {
        KubernetesClient client = local.client();
        List<String> kinds = new java.util.ArrayList<>();
        java.util.function.BiConsumer<String, List<? extends HasMetadata>> add =
                (kind, items) ->
                        items.stream()
                                .filter(o -> o.getMetadata().getName().startsWith(NAME))
                                .forEach(o -> kinds.add(kind));
        add.accept(
                "ServiceAccount",
                client.serviceAccounts().inNamespace(namespace).list().getItems());
        add.accept(
                "Deployment", client.apps().deployments().inNamespace(namespace).list().getItems());
        add.accept("Service", client.services().inNamespace(namespace).list().getItems());
        add.accept("Role", client.rbac().roles().inNamespace(namespace).list().getItems());
        add.accept(
                "RoleBinding",
                client.rbac().roleBindings().inNamespace(namespace).list().getItems());
        add.accept("ClusterRole", client.rbac().clusterRoles().list().getItems());
        add.accept("ClusterRoleBinding", client.rbac().clusterRoleBindings().list().getItems());
        return kinds;
    }
}
