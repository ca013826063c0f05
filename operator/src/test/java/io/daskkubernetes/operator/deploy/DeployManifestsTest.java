package io.daskkubernetes.operator.deploy;

import static io.daskkubernetes.operator.deploy.DeployManifests.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart (rendered by a real Helm) and the kustomize overlays (built by kubectl) describe
 * the same objects with the same RBAC rules, cluster-wide and namespaced; the namespaced install
 * has no cluster-scoped object but the CRDs; the CRD copies are the generated ones.
 */
class DeployManifestsTest {

    private static final Set<String> CLUSTER_SCOPED =
            Set.of("ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Namespace");

    @Test
    void theChartPassesHelmLint() {
        LintResult lint = new Helm(DeployManifests.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint: %s", lint.getMessages()).isFalse();
    }

    @Test
    void theChartAndTheKustomizeBaseCarryTheGeneratedCrdsUnchanged() throws IOException {
        Path generated = DeployManifests.DEPLOY.resolve("crds");
        List<String> names;
        try (Stream<Path> files = Files.list(generated)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(names).hasSize(4);
        for (Path copies :
                List.of(
                        DeployManifests.CHART.resolve("crds"),
                        DeployManifests.DEPLOY.resolve("kustomize/base/crds"))) {
            try (Stream<Path> files = Files.list(copies)) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                        .as("CRD files in %s", copies)
                        .isEqualTo(names);
            }
            for (String name : names) {
                assertThat(Files.readString(copies.resolve(name)))
                        .as(
                                "%s differs from deploy/crds/%s: run mvn -pl operator-api"
                                        + " process-classes, which refreshes the copies",
                                copies.resolve(name), name)
                        .isEqualTo(Files.readString(generated.resolve(name)));
            }
        }
        assertThat(DeployManifests.kustomize(DeployManifests.OVERLAYS.resolve("cluster-wide")))
                .filteredOn(o -> o.path("kind").asText().equals("CustomResourceDefinition"))
                .extracting(o -> o.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder(
                        "daskclusters.kubernetes.dask.org",
                        "daskworkergroups.kubernetes.dask.org",
                        "daskjobs.kubernetes.dask.org",
                        "daskautoscalers.kubernetes.dask.org");
    }

    @Test
    void clusterWideChartAndOverlayHaveTheSameObjectsAndRules() {
        List<JsonNode> chart = DeployManifests.helmTemplate(Map.of());
        List<JsonNode> overlay =
                DeployManifests.kustomize(DeployManifests.OVERLAYS.resolve("cluster-wide"));

        assertThat(identities(chart))
                .containsExactlyInAnyOrder(
                        "ServiceAccount/dask-operator/dask-kubernetes-operator",
                        "ClusterRole/-/dask-kubernetes-operator",
                        "ClusterRoleBinding/-/dask-kubernetes-operator",
                        "Role/dask-operator/dask-kubernetes-operator-leader-election",
                        "RoleBinding/dask-operator/dask-kubernetes-operator-leader-election",
                        "Deployment/dask-operator/dask-kubernetes-operator",
                        "Service/dask-operator/dask-kubernetes-operator-metrics");
        assertThat(identities(comparable(overlay))).isEqualTo(identities(chart));
        assertThat(rulesByRole(comparable(overlay))).isEqualTo(rulesByRole(chart));
        assertThat(args(chart)).doesNotContain("--watch-namespaces");
        assertThat(args(overlay)).isEqualTo(args(chart));
        assertThat(subjects(comparable(overlay))).isEqualTo(subjects(chart));
    }

    @Test
    void namespacedChartAndOverlayGrantOnlyInTheWatchedNamespace() {
        List<JsonNode> chart = DeployManifests.helmTemplate(Map.of("rbac.cluster", "false"));
        List<JsonNode> overlay =
                DeployManifests.kustomize(DeployManifests.OVERLAYS.resolve("namespaced"));

        assertThat(identities(chart))
                .containsExactlyInAnyOrder(
                        "ServiceAccount/dask-operator/dask-kubernetes-operator",
                        "Role/dask-operator/dask-kubernetes-operator",
                        "RoleBinding/dask-operator/dask-kubernetes-operator",
                        "Role/dask-operator/dask-kubernetes-operator-leader-election",
                        "RoleBinding/dask-operator/dask-kubernetes-operator-leader-election",
                        "Deployment/dask-operator/dask-kubernetes-operator",
                        "Service/dask-operator/dask-kubernetes-operator-metrics");
        assertThat(chart).noneMatch(o -> CLUSTER_SCOPED.contains(o.path("kind").asText()));
        assertThat(identities(comparable(overlay))).isEqualTo(identities(chart));
        assertThat(rulesByRole(comparable(overlay))).isEqualTo(rulesByRole(chart));
        assertThat(subjects(comparable(overlay))).isEqualTo(subjects(chart));
        assertThat(args(chart)).contains("--watch-namespaces=dask-operator");
        assertThat(args(overlay)).contains("--watch-namespaces=$(POD_NAMESPACE)");

        // the operator's rules are the same whichever way it is installed
        assertThat(rulesByRole(chart).get("Role/dask-kubernetes-operator"))
                .isEqualTo(
                        rulesByRole(DeployManifests.helmTemplate(Map.of()))
                                .get("ClusterRole/dask-kubernetes-operator"));
    }

    @Test
    void namespacedChartWithSeveralNamespacesGrantsInEachAndWatchesThem() {
        List<JsonNode> chart =
                DeployManifests.helmTemplate(
                        Map.of(
                                "rbac.cluster", "false",
                                "watchNamespaces[0]", "team-a",
                                "watchNamespaces[1]", "team-b"));

        assertThat(identities(chart))
                .contains(
                        "Role/team-a/dask-kubernetes-operator",
                        "RoleBinding/team-a/dask-kubernetes-operator",
                        "Role/team-b/dask-kubernetes-operator",
                        "RoleBinding/team-b/dask-kubernetes-operator")
                .doesNotContain("Role/dask-operator/dask-kubernetes-operator");
        assertThat(args(chart)).contains("--watch-namespaces=team-a,team-b");
    }

    @Test
    void valuesReachTheDeployment() {
        List<JsonNode> chart =
                DeployManifests.helmTemplate(
                        Map.of(
                                "priorityClassName", "system-cluster-critical",
                                "extraEnv[0].name", "JAVA_TOOL_OPTIONS",
                                "extraEnv[0].value", "-Xmx256m",
                                "resources.limits.memory", "512Mi",
                                "image.tag", "9.9.9",
                                "leaderElection.enabled", "false",
                                "rbac.create", "false"));
        JsonNode pod = deployment(chart).path("spec").path("template").path("spec");
        assertThat(pod.path("priorityClassName").asText()).isEqualTo("system-cluster-critical");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo("dask-kubernetes-operator:9.9.9");
        assertThat(container.path("env").toString()).contains("JAVA_TOOL_OPTIONS", "-Xmx256m");
        assertThat(container.path("resources").path("limits").path("memory").asText())
                .isEqualTo("512Mi");
        assertThat(args(chart)).noneMatch(a -> a.startsWith("--leader-election"));
        assertThat(identities(chart))
                .noneMatch(i -> i.startsWith("Role") || i.startsWith("ClusterRole"));
    }

    @Test
    void theOperatorLogsJsonByDefaultAndTakesUpstreamsWorkerAllocationValues() {
        List<JsonNode> defaults = DeployManifests.helmTemplate(Map.of());
        assertThat(args(defaults))
                .contains("--log-format=json")
                .noneMatch(a -> a.startsWith("--log-level"));
        assertThat(env(defaults)).doesNotContainKeys(BATCH_SIZE, BATCH_DELAY);

        List<JsonNode> chart =
                DeployManifests.helmTemplate(
                        Map.of(
                                "workerAllocation.size", "20",
                                "workerAllocation.delay", "0",
                                "logFormat", "text",
                                "logLevel", "debug"));
        assertThat(env(chart)).containsEntry(BATCH_SIZE, "20").containsEntry(BATCH_DELAY, "0");
        assertThat(args(chart)).contains("--log-format=text", "--log-level=debug");
    }

    @Test
    void twoReplicasWithoutLeaderElectionAreRefused() {
        assertThatThrownBy(
                        () ->
                                DeployManifests.helmTemplate(
                                        Map.of("replicas", "2", "leaderElection.enabled", "false")))
                .hasMessageContaining("replicas > 1 needs leaderElection.enabled=true");
    }

    private static final String BATCH_SIZE =
            "DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__BATCH_SIZE";
    private static final String BATCH_DELAY =
            "DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__DELAY";

    /** The operator container's environment variables with a plain value. */
    private static Map<String, String> env(List<JsonNode> objects) {
        Map<String, String> env = new java.util.TreeMap<>();
        operatorContainer(objects)
                .path("env")
                .forEach(
                        e -> {
                            if (e.has("value")) {
                                env.put(e.path("name").asText(), e.path("value").asText());
                            }
                        });
        return env;
    }

    /** The chart leaves CRDs (helm template omits crds/) and namespaces to Helm's own flags. */
    private static List<JsonNode> comparable(List<JsonNode> objects) {
        return objects.stream()
                .filter(
                        o ->
                                !Set.of("Namespace", "CustomResourceDefinition")
                                        .contains(o.path("kind").asText()))
                .toList();
    }

    private static Set<String> identities(List<JsonNode> objects) {
        return objects.stream()
                .map(DeployManifests::identity)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Set<String>> rulesByRole(List<JsonNode> objects) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().endsWith("Role"))
                .collect(
                        Collectors.toMap(
                                o ->
                                        o.path("kind").asText()
                                                + "/"
                                                + o.path("metadata").path("name").asText(),
                                RbacRules::of,
                                (a, b) -> a,
                                java.util.TreeMap::new));
    }

    private static Set<String> subjects(List<JsonNode> objects) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().endsWith("RoleBinding"))
                .map(
                        o ->
                                identity(o)
                                        + " -> "
                                        + o.path("roleRef").path("kind").asText()
                                        + "/"
                                        + o.path("roleRef").path("name").asText()
                                        + " for "
                                        + o.path("subjects").get(0).path("namespace").asText()
                                        + "/"
                                        + o.path("subjects").get(0).path("name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode deployment(List<JsonNode> objects) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode operatorContainer(List<JsonNode> objects) {
        return deployment(objects)
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
    }

    private static List<String> args(List<JsonNode> objects) {
        JsonNode args = operatorContainer(objects).path("args");
        return java.util.stream.StreamSupport.stream(args.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
