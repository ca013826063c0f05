package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 defect 1: any local user could create pods that ran as the runtime's user (root). The
 * API server now takes only requests that carry the runtime's token, over TLS with the runtime's
 * own CA, both written only into the owner's kubeconfig.
 */
class ApiAuthenticationTest {

    private static LocalKubernetes kubernetes;
    private static String url;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.builder().podNetwork(PodNetworkMode.HOST).start();
        url = kubernetes.apiServerUrl();
    }

    @AfterAll
    static void stop() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    private record Answer(int exitCode, String output) {}

    private static Answer run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Answer(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }

    /** curl's HTTP status for a request; {@code -k}: a stranger need not trust our CA to try. */
    private static List<String> curl(String method, String path, String... more) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "curl",
                                "-sk",
                                "-o",
                                "/dev/null",
                                "-w",
                                "%{http_code}",
                                "-X",
                                method,
                                url + path));
        command.addAll(List.of(more));
        return command;
    }

    private static List<String> asNobody(List<String> command) {
        List<String> asNobody =
                new ArrayList<>(
                        List.of(
                                "setpriv",
                                "--reuid=nobody",
                                "--regid=nogroup",
                                "--clear-groups",
                                "--"));
        asNobody.addAll(command);
        return asNobody;
    }

    @Test
    void theKubeconfigIsTheOwnersOnlyAndCarriesTokenAndCa() throws Exception {
        Path kubeconfig = kubernetes.kubeconfig();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
                .isEqualTo("rw-------");
        String text = Files.readString(kubeconfig);
        assertThat(text).contains("token: ").contains("certificate-authority-data: ");
        assertThat(url).startsWith("https://127.0.0.1:");
    }

    @Test
    void aClientFromTheKubeconfigWorks() throws Exception {
        try (KubernetesClient client =
                new KubernetesClientBuilder()
                        .withConfig(
                                Config.fromKubeconfig(Files.readString(kubernetes.kubeconfig())))
                        .build()) {
            assertThat(client.namespaces().withName("default").get()).isNotNull();
        }
    }

    /** Debian's python3-kubernetes, with nothing but the kubeconfig: TLS with our CA, the token. */
    @Test
    void thePythonClientWorksWithTheKubeconfig() throws Exception {
        assumeTrue(
                run(List.of("/usr/bin/python3", "-c", "import kubernetes")).exitCode() == 0,
                "needs Debian's python3-kubernetes");
        Answer answer =
                run(
                        List.of(
                                "/usr/bin/python3",
                                "-c",
                                "import sys\n"
                                        + "from kubernetes import client, config\n"
                                        + "config.load_kube_config(sys.argv[1])\n"
                                        + "names = [n.metadata.name for n in"
                                        + " client.CoreV1Api().list_namespace().items]\n"
                                        + "print('namespaces', names)\n",
                                kubernetes.kubeconfig().toString()));
        assertThat(answer.exitCode()).as(answer.output()).isZero();
        assertThat(answer.output()).contains("namespaces ['default']");
    }

    @Test
    void requestsWithoutTheTokenGet401() throws Exception {
        for (String path : List.of("/api/v1/namespaces/default/pods", "/version", "/api")) {
            assertThat(run(curl("GET", path)).output()).as(path).isEqualTo("401");
        }
        assertThat(
                        run(curl(
                                        "GET",
                                        "/api/v1/pods",
                                        "-H",
                                        "Authorization: Bearer not-the-token"))
                                .output())
                .isEqualTo("401");
    }

    @Test
    void plainHttpGetsNoAnswer() throws Exception {
        String plain = url.replace("https://", "http://");
        Answer answer =
                run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", plain + "/api"));
        assertThat(answer.output()).isIn("000", "400");
    }

    /** The repro, as user nobody: every request is refused and no pod runs. */
    @Test
    void asNobodyEveryRequestIsRefused() throws Exception {
        assumeTrue(RootCheck.isRoot(), "only root can become nobody");
        Path who = Files.createTempDirectory("who-").resolve("who");
        String pod =
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"evil\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\","
                        + "\"command\":[\"sh\",\"-c\",\"id > "
                        + who
                        + "\"]}]}}";
        List<List<String>> requests =
                List.of(
                        curl(
                                "POST",
                                "/api/v1/namespaces/default/pods",
                                "-H",
                                "Content-Type: application/json",
                                "-d",
                                pod),
                        curl("GET", "/api/v1/namespaces/default/pods"),
                        curl("GET", "/api/v1/namespaces/default/secrets"),
                        curl("GET", "/api/v1/namespaces"),
                        curl("DELETE", "/api/v1/namespaces/default/pods"),
                        curl("GET", "/version"),
                        curl("GET", "/apis"));
        try {
            for (List<String> request : requests) {
                assertThat(run(asNobody(request)).output()).as(request.toString()).isEqualTo("401");
            }
            Answer kubectl =
                    run(
                            asNobody(
                                    List.of(
                                            "/usr/bin/kubectl",
                                            "--kubeconfig",
                                            kubernetes.kubeconfig().toString(),
                                            "get",
                                            "pods")));
            assertThat(kubectl.exitCode()).isNotZero();
            assertThat(kubectl.output()).contains("permission denied");

            assertThat(kubernetes.client().pods().withName("evil").get()).isNull();
            assertThat(who).doesNotExist();
        } finally {
            Files.deleteIfExists(who);
            Files.delete(who.getParent());
        }
    }
}
