package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's official Python client ({@code python3-kubernetes}, 22.6.0) against the local runtime,
 * used as Python code usually uses it: booleans sent as {@code True}, objects built without
 * apiVersion and kind. Each script prints what it saw; the assertions are what a real cluster
 * gives.
 */
class PythonClientConformanceTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static LocalKubernetes kubernetes;
    @TempDir static Path work;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                new ProcessBuilder(PYTHON, "-c", "import kubernetes").start().waitFor() == 0,
                "Debian's python3-kubernetes is not installed (apt-get install python3-kubernetes)");
        kubernetes = LocalKubernetes.builder().podNetwork(PodNetworkMode.HOST).start();
    }

    @AfterAll
    static void stop() {
        if (kubernetes != null) {
            RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
        }
    }

    private static String python(String name, String script)
            throws IOException, InterruptedException {
        Path file =
                Files.writeString(
                        work.resolve(name + ".py"),
                        "from kubernetes import client, config, watch\n"
                                + "config.load_kube_config()\n"
                                + "v1 = client.CoreV1Api()\n"
                                + script);
        ProcessBuilder builder =
                new ProcessBuilder(PYTHON, file.toString()).redirectErrorStream(true);
        builder.environment().put("KUBECONFIG", kubernetes.kubeconfig().toString());
        Process process = builder.start();
        try {
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void createsWithoutApiVersionOrKind() throws Exception {
        String output =
                python(
                        "create",
                        """
                        ns = v1.create_namespace(client.V1Namespace(
                            metadata=client.V1ObjectMeta(name="from-python")))
                        cm = v1.create_namespaced_config_map("from-python", client.V1ConfigMap(
                            metadata=client.V1ObjectMeta(name="plain"), data={"a": "1"}))
                        secret = v1.create_namespaced_secret("from-python", client.V1Secret(
                            metadata=client.V1ObjectMeta(name="plain"), string_data={"pw": "x"}))
                        print(ns.kind, cm.kind, cm.api_version, secret.kind)
                        print(v1.list_namespaced_config_map("from-python").kind)
                        """);
        assertThat(output).contains("Namespace ConfigMap v1 Secret").contains("ConfigMapList");
    }

    @Test
    void watchesResumeFromAResourceVersion() throws Exception {
        String output =
                python(
                        "watch",
                        """
                        import threading, time
                        v1.create_namespaced_config_map("default", client.V1ConfigMap(
                            metadata=client.V1ObjectMeta(name="watched"), data={"v": "1"}))
                        rv = v1.list_namespaced_config_map("default").metadata.resource_version
                        def change():
                            time.sleep(1)
                            v1.patch_namespaced_config_map("watched", "default", {"data": {"v": "2"}})
                        threading.Thread(target=change).start()
                        w = watch.Watch()
                        for event in w.stream(v1.list_namespaced_config_map, "default",
                                              resource_version=rv, timeout_seconds=20):
                            print("EVENT", event["type"], event["object"].metadata.name,
                                  event["object"].data["v"])
                            w.stop()
                        """);
        assertThat(output).contains("EVENT MODIFIED watched 2").doesNotContain("EVENT ADDED");
    }

    @Test
    void followedLogsArriveAsTheyAreWritten() throws Exception {
        String output =
                python(
                        "follow",
                        """
                        import time
                        v1.create_namespaced_pod("default", client.V1Pod(
                            metadata=client.V1ObjectMeta(name="talker"),
                            spec=client.V1PodSpec(restart_policy="Never", containers=[
                                client.V1Container(name="main", image="ignored", command=[
                                    "sh", "-c", "for i in 1 2 3 4 5 6; do echo line $i; sleep 1; done"])])))
                        for _ in range(100):
                            if v1.read_namespaced_pod("talker", "default").status.phase != "Pending":
                                break
                            time.sleep(0.1)
                        start = time.time()
                        stream = v1.read_namespaced_pod_log("talker", "default", follow=True,
                                                            _preload_content=False)
                        for chunk in stream.stream():
                            for line in chunk.decode().splitlines():
                                print("AT %.1f %s" % (time.time() - start, line))
                        """);
        assertThat(output).contains("line 1").contains("line 3").contains("line 6");
        String[] arrivals = output.split("AT ");
        double first = Double.parseDouble(arrivals[1].split(" ")[0]);
        double last = Double.parseDouble(arrivals[arrivals.length - 1].split(" ")[0]);
        // Followed, not read once at the end: the last lines came seconds after the first (on a
        // loaded machine the first few may already be written when the follow starts).
        assertThat(last - first).isGreaterThan(1.0);
    }

    @Test
    void deleteCollectionWithSetBasedSelectorsAndDryRuns() throws Exception {
        String output =
                python(
                        "collections",
                        """
                        for name in ("one", "two"):
                            v1.create_namespaced_config_map("default", client.V1ConfigMap(
                                metadata=client.V1ObjectMeta(name=name, labels={"app": name})))
                        v1.delete_collection_namespaced_config_map(
                            "default", label_selector="app in (nothing)")
                        try:
                            v1.delete_collection_namespaced_config_map(
                                "default", label_selector="app in (")
                        except client.ApiException as e:
                            print("MALFORMED", e.status)
                        v1.create_namespaced_config_map("default", client.V1ConfigMap(
                            metadata=client.V1ObjectMeta(name="dry")), dry_run="All")
                        v1.patch_namespaced_config_map("one", "default",
                            {"data": {"k": "dry"}}, dry_run="All")
                        v1.delete_namespaced_config_map("two", "default", dry_run="All")
                        names = sorted(c.metadata.name for c in
                                       v1.list_namespaced_config_map("default").items)
                        print("LEFT", names, v1.read_namespaced_config_map("one", "default").data)
                        v1.delete_collection_namespaced_config_map(
                            "default", label_selector="app in (two)")
                        print("AFTER", sorted(c.metadata.name for c in
                                              v1.list_namespaced_config_map("default").items))
                        """);
        assertThat(output)
                .contains("MALFORMED 400")
                .contains("LEFT ['one', 'two'] None")
                .contains("AFTER ['one']");
    }
}
