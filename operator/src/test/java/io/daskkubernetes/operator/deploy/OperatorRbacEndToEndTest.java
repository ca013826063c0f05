package io.daskkubernetes.operator.deploy;

import static io.daskkubernetes.operator.deploy.DeployManifests.kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.local.api.ApiRequest;
import io.daskkubernetes.operator.CustomResourceDefinitions;
import io.daskkubernetes.operator.LeaderElection;
import io.daskkubernetes.operator.OperatorProcess;
import io.daskkubernetes.operator.OperatorSettings;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskAutoscalerSpec;
import io.daskkubernetes.operator.api.DaskJob;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The operator installed the namespaced way (watching "default", its Lease in "dask-operator") runs
 * upstream's manifests on the local runtime while the runtime records every request it makes: each
 * one is allowed by the chart's Role and leader-election Role, and each permission those grant is
 * used. Its /metrics, fetched with curl meanwhile, shows reconcile counts and the workers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorRbacEndToEndTest {

    private static final Path MANIFESTS = Path.of("..", "examples", "operator");
    private static final String USER_AGENT = "dask-operator-under-test";
    private static final String WATCHED = "default";
    private static final String OPERATOR_NAMESPACE = DeployManifests.NAMESPACE;
    private static final Duration PATIENCE = Duration.ofSeconds(50);

    /** What every authenticated user may do (system:basic-user); JOSDK asks before electing. */
    private static final Set<String> ANYONE =
            Set.of(
                    RbacRules.permission(
                            "create", "authorization.k8s.io", "selfsubjectrulesreviews"),
                    RbacRules.permission(
                            "create", "authorization.k8s.io", "selfsubjectaccessreviews"));

    private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
    private LocalKubernetes local;
    private KubernetesClient operatorClient;
    private OperatorProcess operator;

    @BeforeAll
    void start() throws IOException {
        local = LocalKubernetes.builder().observeRequests(requests::add).start();
        try {
            local.client()
                    .namespaces()
                    .resource(
                            new NamespaceBuilder()
                                    .withNewMetadata()
                                    .withName(OPERATOR_NAMESPACE)
                                    .endMetadata()
                                    .build())
                    .create();
            // as Helm or kubectl apply -k would: the CRDs are there before the operator starts
            CustomResourceDefinitions.install(local.client());
            Config config = Config.fromKubeconfig(Files.readString(local.kubeconfig()));
            config.setUserAgent(USER_AGENT);
            operatorClient = new KubernetesClientBuilder().withConfig(config).build();
            operator =
                    OperatorProcess.start(
                            operatorClient,
                            OperatorSettings.watching(Set.of(WATCHED))
                                    .electingLeader(
                                            // long timings: this test is about rights, and a
                                            // loaded machine must not make it lose the Lease
                                            new LeaderElection(
                                                    LeaderElection.DEFAULT_LEASE_NAME,
                                                    OPERATOR_NAMESPACE,
                                                    "rbac-test",
                                                    Duration.ofSeconds(120),
                                                    Duration.ofSeconds(90),
                                                    Duration.ofSeconds(5)),
                                            () -> {}),
                            OptionalInt.of(0));
        } catch (RuntimeException | IOException e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        try {
            if (operator != null) {
                operator.close();
            }
            if (operatorClient != null) {
                operatorClient.close();
            }
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }

    @Test
    @Order(1)
    @Timeout(120)
    void simpleClusterRunsAndCurlOfMetricsShowsReconcilesAndWorkers() {
        kubectl(
                local.kubeconfig(),
                "apply",
                "-f",
                MANIFESTS.resolve("simplecluster.yaml").toString());
        awaitWorkersReady("simple-default", 2);
        await().atMost(PATIENCE)
                .until(
                        () ->
                                kubectl(
                                        local.kubeconfig(),
                                        "get",
                                        "daskcluster",
                                        "simple",
                                        "-o",
                                        "jsonpath={.status.phase}"),
                        "Running"::equals);
        // JOSDK lists every controller in its unhealthy event sources, most with none: /healthz
        // answered "not ok" whenever the operator led (the chart's liveness probe killed it)
        assertThat(curl("/healthz")).startsWith("ok: leading; informers healthy");
        assertThat(curl("/readyz")).startsWith("ok: leading");

        String metrics = curl("/metrics");
        assertThat(metrics)
                .contains(
                        "dask_operator_cluster_workers{cluster=\"simple\",namespace=\"default\"} 2.0")
                .contains("dask_operator_clusters{phase=\"Running\"} 1.0")
                .contains("dask_operator_workers{phase=\"Running\"} 2.0");
        assertThat(
                        counter(
                                metrics,
                                "operator_sdk_reconciliations_success_total",
                                "DaskWorkerGroup"))
                .isPositive();
        assertThat(counter(metrics, "operator_sdk_reconciliations_success_total", "DaskCluster"))
                .isPositive();
        assertThat(metrics).contains("operator_sdk_controllers_execution_reconcile_seconds_count");
    }

    @Test
    @Order(2)
    @Timeout(120)
    void scalingTheClusterReachesItsGroup() {
        kubectl(local.kubeconfig(), "scale", "daskcluster", "simple", "--replicas=3");
        awaitWorkersReady("simple-default", 3);
        assertThat(curl("/metrics"))
                .contains(
                        "dask_operator_cluster_workers{cluster=\"simple\",namespace=\"default\"} 3.0");
    }

    @Test
    @Order(3)
    @Timeout(120)
    void aSecondGroupIsAdoptedAndScalingDownDeletesPods() {
        kubectl(
                local.kubeconfig(),
                "apply",
                "-f",
                MANIFESTS.resolve("simpleworkergroup.yaml").toString());
        await().atMost(PATIENCE)
                .until(
                        () ->
                                group("simple-additional")
                                        .getMetadata()
                                        .getOwnerReferences()
                                        .stream()
                                        .anyMatch(o -> "DaskCluster".equals(o.getKind())));
        kubectl(local.kubeconfig(), "scale", "daskworkergroup", "simple-default", "--replicas=2");
        await().atMost(PATIENCE)
                .until(
                        () ->
                                requests.stream()
                                        .anyMatch(
                                                r ->
                                                        USER_AGENT.equals(r.userAgent())
                                                                && r.verb().equals("delete")
                                                                && "pods".equals(r.resource())));
    }

    @Test
    @Order(4)
    void aFailingJobWithATtlRunsAndGoesWithItsCluster() {
        DaskJob job = CheapCluster.failingJob("rbac-job", 0);
        local.client().resource(job).inNamespace(WATCHED).create();

        // the job's cluster is made and deleted, the runner's log read, the job deleted by its TTL
        await().atMost(PATIENCE)
                .until(
                        () ->
                                local.client()
                                                        .resources(DaskJob.class)
                                                        .inNamespace(WATCHED)
                                                        .withName("rbac-job")
                                                        .get()
                                                == null
                                        && requests.stream()
                                                .anyMatch(
                                                        r ->
                                                                USER_AGENT.equals(r.userAgent())
                                                                        && "pods/log"
                                                                                .equals(
                                                                                        r
                                                                                                .resource())));
    }

    @Test
    @Order(5)
    @Timeout(120)
    void anAutoscalerScalesTheDefaultGroupAndMetricsCountIt() {
        DaskAutoscalerSpec spec = new DaskAutoscalerSpec();
        spec.setCluster("simple");
        spec.setMinimum(1);
        spec.setMaximum(1);
        DaskAutoscaler autoscaler = new DaskAutoscaler();
        autoscaler.setMetadata(new ObjectMetaBuilder().withName("simple").build());
        autoscaler.setSpec(spec);
        local.client()
                .resources(DaskAutoscaler.class)
                .inNamespace(WATCHED)
                .resource(autoscaler)
                .create();
        awaitWorkersReady("simple-default", 1);
        await().atMost(PATIENCE)
                .until(
                        () ->
                                local.client()
                                        .resources(DaskAutoscaler.class)
                                        .inNamespace(WATCHED)
                                        .withName("simple")
                                        .get()
                                        .getStatus(),
                        status ->
                                status != null
                                        && Integer.valueOf(1).equals(status.getDesiredWorkers()));
        assertThat(curl("/metrics"))
                .contains(
                        "dask_operator_scale_decisions_total{cluster=\"simple\",direction=\"down\",namespace=\"default\"} 1.0");
    }

    @Test
    @Order(6)
    void everyCallTheOperatorMadeIsAllowedByTheChartsRolesAndEveryGrantIsUsed() {
        List<JsonNode> chart = DeployManifests.helmTemplate(Map.of("rbac.cluster", "false"));
        Set<String> operatorRole = rules(chart, "dask-kubernetes-operator");
        Set<String> leaseRole = rules(chart, "dask-kubernetes-operator-leader-election");

        List<ApiRequest> calls =
                requests.stream()
                        .filter(r -> USER_AGENT.equals(r.userAgent()))
                        .filter(ApiRequest::isResourceRequest)
                        .toList();
        assertThat(calls).isNotEmpty();
        Set<String> used = new TreeSet<>();
        Set<String> notAllowed = new TreeSet<>();
        for (ApiRequest call : calls) {
            String permission = RbacRules.permission(call.verb(), call.group(), call.resource());
            used.add(
                    (call.namespace() == null ? "(cluster) " : call.namespace() + " ")
                            + permission);
            boolean allowed =
                    ANYONE.contains(permission)
                            || (WATCHED.equals(call.namespace())
                                    && operatorRole.contains(permission))
                            || (OPERATOR_NAMESPACE.equals(call.namespace())
                                    && leaseRole.contains(permission));
            if (!allowed) {
                notAllowed.add(call.method() + " " + call.uri() + " = " + permission);
            }
        }
        System.out.println("the operator's calls: " + used);
        assertThat(notAllowed).as("calls the chart's Roles do not allow").isEmpty();

        Set<String> usedInWatched = usedIn(calls, WATCHED);
        Set<String> usedInOwn = usedIn(calls, OPERATOR_NAMESPACE);
        assertThat(operatorRole)
                .as("granted in %s but never used", WATCHED)
                .isSubsetOf(usedInWatched);
        assertThat(leaseRole)
                .as("granted in %s but never used", OPERATOR_NAMESPACE)
                .isSubsetOf(usedInOwn);
    }

    private static Set<String> usedIn(List<ApiRequest> calls, String namespace) {
        return calls.stream()
                .filter(c -> namespace.equals(c.namespace()))
                .map(c -> RbacRules.permission(c.verb(), c.group(), c.resource()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> rules(List<JsonNode> objects, String roleName) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals("Role"))
                .filter(o -> o.path("metadata").path("name").asText().equals(roleName))
                .map(RbacRules::of)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Role " + roleName + " in the chart"));
    }

    private DaskWorkerGroup group(String name) {
        return local.client()
                .resources(DaskWorkerGroup.class)
                .inNamespace(WATCHED)
                .withName(name)
                .get();
    }

    /** The group has {@code count} pods, all registered with the scheduler (WorkersReady). */
    private void awaitWorkersReady(String name, int count) {
        await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            DaskWorkerGroup group = group(name);
                            return group != null
                                    && group.getStatus() != null
                                    && Integer.valueOf(count)
                                            .equals(group.getStatus().getReplicas())
                                    && group.getStatus().getConditions().stream()
                                            .anyMatch(
                                                    c ->
                                                            "WorkersReady".equals(c.getType())
                                                                    && "True".equals(c.getStatus())
                                                                    && c.getMessage()
                                                                            .startsWith(
                                                                                    count + " of "
                                                                                            + count));
                        });
    }

    private String curl(String path) {
        return DeployManifests.run(
                List.of(
                        "/usr/bin/curl",
                        "-sS",
                        "--max-time",
                        "10",
                        "http://127.0.0.1:" + operator.httpPort() + path));
    }

    /** The sum of a counter's lines whose labels name {@code kind}. */
    private static double counter(String metrics, String name, String kind) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + "{"))
                .filter(l -> l.contains("kind=\"" + kind + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
