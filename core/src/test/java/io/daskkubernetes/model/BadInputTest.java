package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.config.ClusterSettingsResolver;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input gets a {@link SpecException} whose message names the source, the field
 * path and the fix, in the form {@code <source>: <field.path>: <problem>; <fix>}.
 */
class BadInputTest {

    private static final String GOOD =
            """
            kind: Pod
            spec:
              containers:
              - name: dask
                image: ghcr.io/dask/dask:latest
                args: [dask-worker, --nthreads, '1', --death-timeout, '60']
            """;

    interface Attempt {
        void run();
    }

    private static Arguments yaml(String description, String yaml, String field, String fix) {
        return Arguments.of(
                description,
                (Attempt) () -> PodTemplates.fromYamlString(yaml, "worker-spec.yml"),
                "worker-spec.yml",
                field,
                fix);
    }

    private static Pod good() {
        return PodTemplates.fromYamlString(GOOD, "good.yml");
    }

    private static ClusterSettingsResolver spec(DaskConfig config) {
        return ClusterSettingsResolver.of(config)
                .workerTemplate(good())
                .user("jovyan")
                .environment(Map.of())
                .uuid(() -> "0a1b2c3d-e");
    }

    private static DaskConfig env(String variable, String value) {
        return DaskConfig.load(ConfigSources.of(List.of(), Map.of(variable, value)));
    }

    private static Arguments config(
            String description, String variable, String value, String field, String fix) {
        return Arguments.of(
                description,
                (Attempt) () -> spec(env(variable, value)).resolve(),
                "environment variable " + variable,
                field,
                fix);
    }

    private static Arguments builder(
            String description, Attempt attempt, String source, String field, String fix) {
        return Arguments.of(description, attempt, source, field, fix);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // pod template files
                yaml("not YAML", "kind: Pod\nspec: [unclosed\n", "(file)", "fix the YAML syntax"),
                yaml("empty file", "   \n", "(file)", "write a Pod"),
                yaml(
                        "a YAML list",
                        "- kind: Pod\n- kind: Service\n",
                        "(file)",
                        "write a single Pod mapping"),
                yaml("a scalar", "just text\n", "(file)", "write a single Pod mapping"),
                yaml(
                        "kind not Pod",
                        GOOD.replace("kind: Pod", "kind: Deployment"),
                        "kind",
                        "give a Pod template"),
                yaml(
                        "apiVersion not v1",
                        "apiVersion: apps/v1\n" + GOOD,
                        "apiVersion",
                        "use apiVersion: v1"),
                yaml("no spec", "kind: Pod\nmetadata: {name: x}\n", "spec", "add spec.containers"),
                yaml(
                        "no containers",
                        "kind: Pod\nspec: {restartPolicy: Never}\n",
                        "spec.containers",
                        "add a container"),
                yaml(
                        "empty containers",
                        "kind: Pod\nspec: {containers: []}\n",
                        "spec.containers",
                        "add a container"),
                yaml(
                        "containers not a list",
                        "kind: Pod\nspec: {containers: dask}\n",
                        "spec.containers",
                        "write it as a YAML list"),
                yaml(
                        "container not a mapping",
                        "kind: Pod\nspec: {containers: [dask]}\n",
                        "spec.containers[0]",
                        "write it as 'key: value' lines"),
                yaml(
                        "container without image",
                        GOOD.replace("    image: ghcr.io/dask/dask:latest\n", ""),
                        "spec.containers[0].image",
                        "set an image"),
                yaml(
                        "container with blank image",
                        GOOD.replace("image: ghcr.io/dask/dask:latest", "image: ''"),
                        "spec.containers[0].image",
                        "set an image"),
                yaml(
                        "container without name",
                        GOOD.replace("  - name: dask\n    image", "  - image"),
                        "spec.containers[0].name",
                        "give the container a name"),
                yaml(
                        "container name not a DNS label",
                        GOOD.replace("name: dask", "name: Dask_Worker"),
                        "spec.containers[0].name",
                        "use lower-case letters"),
                yaml(
                        "two containers of one name",
                        GOOD + "  - name: dask\n    image: busybox\n",
                        "spec.containers[1].name",
                        "give each container its own name"),
                yaml(
                        "bad memory limit quantity",
                        GOOD + "    resources: {limits: {memory: 6X}}\n",
                        "spec.containers[0].resources.limits.memory",
                        "use a quantity such as 6G or 6Gi"),
                yaml(
                        "Dask byte unit as a quantity",
                        GOOD + "    resources: {requests: {memory: 6GB}}\n",
                        "spec.containers[0].resources.requests.memory",
                        "use a quantity such as 6G or 6Gi"),
                yaml(
                        "bad cpu quantity",
                        GOOD + "    resources: {limits: {cpu: two}}\n",
                        "spec.containers[0].resources.limits.cpu",
                        "use a quantity such as 2 or 500m"),
                yaml(
                        "negative quantity",
                        GOOD + "    resources: {limits: {cpu: '-1'}}\n",
                        "spec.containers[0].resources.limits.cpu",
                        "use a positive quantity"),
                yaml(
                        "request above limit",
                        GOOD + "    resources: {limits: {memory: 1G}, requests: {memory: 2G}}\n",
                        "spec.containers[0].resources.requests.memory",
                        "lower the request or raise limits.memory"),
                yaml(
                        "unknown field in snake_case",
                        GOOD.replace("spec:\n", "spec:\n  restart_policy: Never\n"),
                        "spec.restart_policy",
                        "Kubernetes spells it restartPolicy"),
                yaml(
                        "unknown container field",
                        GOOD + "    image_pull_policy: Always\n",
                        "spec.containers[0].image_pull_policy",
                        "Kubernetes spells it imagePullPolicy"),
                yaml(
                        "args not a list",
                        GOOD.replace(
                                "args: [dask-worker, --nthreads, '1', --death-timeout, '60']",
                                "args: dask-worker --nthreads 1"),
                        "spec.containers[0].args",
                        "write it as a YAML list"),
                yaml(
                        "invalid restart policy",
                        GOOD.replace("spec:\n", "spec:\n  restartPolicy: Sometimes\n"),
                        "spec.restartPolicy",
                        "use Never"),
                yaml(
                        "invalid pull policy",
                        GOOD + "    imagePullPolicy: Sometimes\n",
                        "spec.containers[0].imagePullPolicy",
                        "use IfNotPresent, Always or Never"),
                yaml(
                        "invalid label value",
                        "metadata: {labels: {team: 'data science'}}\n" + GOOD,
                        "metadata.labels.team",
                        "use at most 63 letters"),
                yaml(
                        "invalid label key",
                        "metadata: {labels: {'bad key': x}}\n" + GOOD,
                        "metadata.labels.bad key",
                        "use letters, digits"),
                yaml(
                        "env without name",
                        GOOD + "    env: [{value: x}]\n",
                        "spec.containers[0].env[0].name",
                        "give every environment variable a name"),
                yaml(
                        "port out of range",
                        GOOD + "    ports: [{containerPort: 70000}]\n",
                        "spec.containers[0].ports[0].containerPort",
                        "use a port between 1 and 65535"),
                // cluster settings from the configuration
                config(
                        "negative count.start",
                        "DASK_KUBERNETES__COUNT__START",
                        "-1",
                        "kubernetes.count.start",
                        "use 0 or more workers"),
                config(
                        "negative count.max",
                        "DASK_KUBERNETES__COUNT__MAX",
                        "-2",
                        "kubernetes.count.max",
                        "use 0 or more"),
                config(
                        "count.start not a number",
                        "DASK_KUBERNETES__COUNT__START",
                        "many",
                        "kubernetes.count.start",
                        "write an integer"),
                config(
                        "unknown deploy mode",
                        "DASK_KUBERNETES__DEPLOY_MODE",
                        "hybrid",
                        "kubernetes.deploy-mode",
                        "use remote or local"),
                config(
                        "unknown affinity mode",
                        "DASK_KUBERNETES__APPLY_DEFAULT_AFFINITY",
                        "sometimes",
                        "kubernetes.apply-default-affinity",
                        "use preferred, required or none"),
                config(
                        "unknown service type",
                        "DASK_KUBERNETES__SCHEDULER_SERVICE_TYPE",
                        "ExternalName",
                        "kubernetes.scheduler-service-type",
                        "use ClusterIP, NodePort or LoadBalancer"),
                config(
                        "name template with an unknown field",
                        "DASK_KUBERNETES__NAME",
                        "dask-{JUPYTERHUB_USER}-{uuid}",
                        "kubernetes.name",
                        "use {user}, {uuid} or a set environment variable"),
                config(
                        "name template that is too long",
                        "DASK_KUBERNETES__NAME",
                        "dask-" + "x".repeat(60) + "-{uuid}",
                        "kubernetes.name",
                        "shorten the template"),
                config(
                        "name with nothing valid left",
                        "DASK_KUBERNETES__NAME",
                        "___",
                        "kubernetes.name",
                        "use letters, digits and '-'"),
                config(
                        "name starting with a digit",
                        "DASK_KUBERNETES__NAME",
                        "{uuid}",
                        "kubernetes.name",
                        "start the template with a word"),
                config(
                        "name with an unmatched brace",
                        "DASK_KUBERNETES__NAME",
                        "dask-{uuid",
                        "kubernetes.name",
                        "such as dask-{user}-{uuid}"),
                config(
                        "invalid namespace",
                        "DASK_KUBERNETES__NAMESPACE",
                        "My_Namespace",
                        "kubernetes.namespace",
                        "use lower-case letters"),
                config(
                        "bad idle timeout",
                        "DASK_KUBERNETES__IDLE_TIMEOUT",
                        "soon",
                        "kubernetes.idle-timeout",
                        "use seconds (300)"),
                config(
                        "negative wait timeout",
                        "DASK_KUBERNETES__SCHEDULER_SERVICE_WAIT_TIMEOUT",
                        "-5",
                        "kubernetes.scheduler-service-wait-timeout",
                        "use seconds, such as 30"),
                config(
                        "env that is not a mapping",
                        "DASK_KUBERNETES__ENV",
                        "['A=1']",
                        "kubernetes.env",
                        "write nested keys"),
                builder(
                        "count.start above count.max",
                        () -> spec(env("DASK_KUBERNETES__COUNT__MAX", "2")).workers(3).resolve(),
                        "environment variable DASK_KUBERNETES__COUNT__MAX",
                        "kubernetes.count.max",
                        "raise kubernetes.count.max or start fewer"),
                builder(
                        "no worker template anywhere",
                        () ->
                                ClusterSettingsResolver.of(DaskConfig.defaultsOnly())
                                        .user("u")
                                        .environment(Map.of())
                                        .resolve(),
                        DaskConfig.DEFAULTS_SOURCE,
                        "kubernetes.worker-template-path",
                        "set kubernetes.worker-template-path or kubernetes.worker-template"),
                builder(
                        "worker-template-path that does not exist",
                        () ->
                                spec(env(
                                                "DASK_KUBERNETES__WORKER_TEMPLATE_PATH",
                                                "/nonexistent/worker-spec.yml"))
                                        .workerTemplate(null)
                                        .resolve(),
                        "/nonexistent/worker-spec.yml",
                        "(file)",
                        "check the path"),
                builder(
                        "worker-template in config without containers",
                        () ->
                                ClusterSettingsResolver.of(
                                                DaskConfig.defaultsOnly()
                                                        .with(
                                                                "kubernetes.worker-template",
                                                                Map.of(
                                                                        "kind", "Pod", "spec",
                                                                        Map.of())))
                                        .user("u")
                                        .environment(Map.of())
                                        .resolve(),
                        "explicit argument (kubernetes.worker-template)",
                        "spec.containers",
                        "add a container"),
                builder(
                        "--nthreads that is not a number",
                        () ->
                                spec(DaskConfig.defaultsOnly())
                                        .workerTemplate(
                                                PodTemplates.fromYamlString(
                                                        GOOD.replace(
                                                                "--nthreads, '1'",
                                                                "--nthreads, two"),
                                                        "w.yml"))
                                        .resolve(),
                        "worker template",
                        "spec.containers[0].args",
                        "use 1 or more"),
                builder(
                        "--memory-limit Dask cannot read",
                        () ->
                                spec(DaskConfig.defaultsOnly())
                                        .workerTemplate(
                                                PodTemplates.fromYamlString(
                                                        GOOD.replace(
                                                                "--death-timeout",
                                                                "--memory-limit, 6X, --death-timeout"),
                                                        "w.yml"))
                                        .resolve(),
                        "worker template",
                        "spec.containers[0].args",
                        "use a size Dask understands"),
                builder(
                        "negative workers",
                        () -> spec(DaskConfig.defaultsOnly()).workers(-1).resolve(),
                        ClusterSettingsResolver.ARGUMENT_SOURCE,
                        "workers",
                        "use 0 or more workers"),
                builder(
                        "negative idle timeout",
                        () ->
                                spec(DaskConfig.defaultsOnly())
                                        .idleTimeout(Duration.ofSeconds(-1))
                                        .resolve(),
                        ClusterSettingsResolver.ARGUMENT_SOURCE,
                        "idleTimeout",
                        "use a positive duration"),
                builder(
                        "builder name template too long",
                        () -> spec(DaskConfig.defaultsOnly()).name("x".repeat(54)).resolve(),
                        ClusterSettingsResolver.ARGUMENT_SOURCE,
                        "kubernetes.name",
                        "shorten the template"),
                builder(
                        "make_pod_spec without image",
                        () -> MakePodSpec.builder().build(),
                        "make_pod_spec",
                        "image",
                        "pass an image"),
                builder(
                        "make_pod_spec with zero threads",
                        () -> MakePodSpec.builder().image("i").threadsPerWorker(0).build(),
                        "make_pod_spec",
                        "threadsPerWorker",
                        "use 1 or more threads"),
                builder(
                        "make_pod_spec with bad memory",
                        () -> MakePodSpec.builder().image("i").memoryLimit("6 gigs").build(),
                        "make_pod_spec",
                        "spec.containers[0].resources.limits.memory",
                        "use a quantity such as 6G"),
                builder(
                        "make_pod_spec with unknown extra pod field",
                        () ->
                                MakePodSpec.builder()
                                        .image("i")
                                        .extraPodConfig(Map.of("node_selector", Map.of("a", "b")))
                                        .build(),
                        "make_pod_spec",
                        "spec.node_selector",
                        "Kubernetes spells it nodeSelector"),
                builder(
                        "dashboard link with an unknown field",
                        () ->
                                DashboardLink.format(
                                        "{scheme}://{host}:{port}/{prefix}",
                                        "http",
                                        "h",
                                        8787,
                                        Map.of()),
                        "dask configuration",
                        "distributed.dashboard.link",
                        "use {scheme}, {host}, {port}"),
                builder(
                        "invalid worker name",
                        () ->
                                ClusterModel.of(
                                                spec(DaskConfig.defaultsOnly()).resolve(),
                                                "default",
                                                new Random(0))
                                        .workerPod("Bad_Name"),
                        "ClusterModel",
                        "workerPod.name",
                        "use newWorkerName()"),
                builder(
                        "invalid model namespace",
                        () ->
                                ClusterModel.of(
                                        spec(DaskConfig.defaultsOnly()).resolve(),
                                        "Not OK",
                                        new Random(0)),
                        "ClusterModel",
                        "namespace",
                        "pass the namespace"),
                builder(
                        "owner ConfigMap without data",
                        () ->
                                ClusterModel.fromOwner(
                                        new ConfigMapBuilder()
                                                .withNewMetadata()
                                                .withName("c1")
                                                .withUid("u")
                                                .endMetadata()
                                                .build(),
                                        new Random(0)),
                        "ConfigMap c1",
                        "data.worker-template.yaml",
                        "recreate the cluster"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void namesSourceFieldAndFix(
            String description, Attempt attempt, String source, String field, String fix) {
        assertThatThrownBy(attempt::run)
                .isInstanceOf(SpecException.class)
                .satisfies(
                        e -> {
                            SpecException error = (SpecException) e;
                            assertThat(error.source()).isEqualTo(source);
                            assertThat(error.fieldPath()).isEqualTo(field);
                            assertThat(error.getMessage())
                                    .startsWith(source + ": " + field + ": ")
                                    .contains("; ")
                                    .contains(fix);
                        });
    }
}
