package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** port-forward (kubectl and fabric8), exec and cp against the runtime. */
class KubectlStreamsTest {

    private static final String PAGE = "hello from the pod";
    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;
    private static KubectlSupport kubectl;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.start();
        client = kubernetes.client();
        kubectl = new KubectlSupport(kubernetes);
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("web")
                                .addToLabels("app", "web")
                                .endMetadata()
                                .withNewSpec()
                                .withTerminationGracePeriodSeconds(1L)
                                .addNewContainer()
                                .withName("main")
                                .withImage("python:3")
                                .withCommand(
                                        "sh",
                                        "-c",
                                        "echo '"
                                                + PAGE
                                                + "' > index.html; exec python3 -m http.server"
                                                + " 8080")
                                .addNewEnv()
                                .withName("GREETING")
                                .withValue("hi there")
                                .endEnv()
                                .withNewReadinessProbe()
                                .withNewTcpSocket()
                                .withPort(new IntOrString(8080))
                                .endTcpSocket()
                                .withPeriodSeconds(1)
                                .endReadinessProbe()
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        client.services()
                .resource(
                        new ServiceBuilder()
                                .withNewMetadata()
                                .withName("web")
                                .endMetadata()
                                .withNewSpec()
                                .addToSelector("app", "web")
                                .addNewPort()
                                .withPort(80)
                                .withTargetPort(new IntOrString(8080))
                                .endPort()
                                .endSpec()
                                .build())
                .create();
        client.pods().withName("web").waitUntilReady(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    private static String get(int port) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                        .timeout(Duration.ofSeconds(20))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Runs kubectl port-forward TARGET :PORT and returns the local port it listens on. */
    private static void withKubectlPortForward(String target, String remotePort, PortUser user)
            throws Exception {
        Process forward = kubectl.start("port-forward", target, ":" + remotePort);
        try {
            BufferedReader output =
                    new BufferedReader(
                            new InputStreamReader(
                                    forward.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Integer> localPort =
                    CompletableFuture.supplyAsync(
                            () -> {
                                Pattern pattern =
                                        Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+)");
                                try {
                                    String line;
                                    StringBuilder seen = new StringBuilder();
                                    while ((line = output.readLine()) != null) {
                                        seen.append(line).append('\n');
                                        Matcher matcher = pattern.matcher(line);
                                        if (matcher.find()) {
                                            return Integer.parseInt(matcher.group(1));
                                        }
                                    }
                                    throw new IllegalStateException(
                                            "kubectl port-forward ended: " + seen);
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            int port = localPort.get(30, TimeUnit.SECONDS);
            user.use(port);
        } finally {
            forward.destroy();
            forward.waitFor(10, TimeUnit.SECONDS);
            forward.destroyForcibly();
        }
    }

    interface PortUser {
        void use(int port) throws Exception;
    }

    @Test
    void kubectlPortForwardToAPodServesItsHttpServer() throws Exception {
        withKubectlPortForward(
                "pod/web",
                "8080",
                port -> {
                    // Several connections through one port-forward, one after the other.
                    for (int i = 0; i < 3; i++) {
                        assertThat(get(port)).contains(PAGE);
                    }
                });
    }

    @Test
    void kubectlPortForwardToAServiceServesItsPodsHttpServer() throws Exception {
        withKubectlPortForward("svc/web", "80", port -> assertThat(get(port)).contains(PAGE));
    }

    @Test
    void fabric8PortForwardReachesThePodsServer() throws Exception {
        try (LocalPortForward forward = client.pods().withName("web").portForward(8080)) {
            assertThat(get(forward.getLocalPort())).contains(PAGE);
            assertThat(get(forward.getLocalPort())).contains(PAGE);
        }
        // A Service's port, as fabric8 resolves it to one of its pods.
        try (LocalPortForward forward = client.services().withName("web").portForward(80)) {
            assertThat(get(forward.getLocalPort())).contains(PAGE);
        }
    }

    @Test
    void kubectlExecReturnsOutputAndExitCode() throws Exception {
        KubectlSupport.Result ok =
                kubectl.run(null, "exec", "web", "--", "sh", "-c", "echo \"$GREETING\"; pwd");
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).startsWith("hi there\n").contains("/main");

        KubectlSupport.Result failed =
                kubectl.run(
                        null,
                        "exec",
                        "web",
                        "-c",
                        "main",
                        "--",
                        "sh",
                        "-c",
                        "echo to-stdout; echo to-stderr >&2; exit 3");
        assertThat(failed.exitCode()).as(failed.output()).isEqualTo(3);
        assertThat(failed.output()).contains("to-stdout", "to-stderr");

        KubectlSupport.Result stdin =
                kubectl.run(
                        "line one\nline two\n".getBytes(StandardCharsets.UTF_8),
                        "exec",
                        "-i",
                        "web",
                        "--",
                        "wc",
                        "-l");
        assertThat(stdin.exitCode()).as(stdin.output()).isZero();
        assertThat(stdin.output().trim()).isEqualTo("2");
    }

    @Test
    void fabric8ExecReturnsOutputAndExitCode() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try (io.fabric8.kubernetes.client.dsl.ExecWatch exec =
                client.pods()
                        .withName("web")
                        .writingOutput(out)
                        .writingError(err)
                        .exec("sh", "-c", "echo fabric8-out; echo fabric8-err >&2; exit 5")) {
            assertThat(exec.exitCode().get(30, TimeUnit.SECONDS)).isEqualTo(5);
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> out.toString(StandardCharsets.UTF_8).equals("fabric8-out\n"));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("fabric8-err\n");
    }

    @Test
    void anExecWhoseClientGoesAwayIsKilled() throws Exception {
        Process exec = kubectl.start("exec", "web", "--", "sleep", "6061");
        await().atMost(Duration.ofSeconds(20)).until(() -> sleepers().count() == 1);
        exec.destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> sleepers().count() == 0);
    }

    private static java.util.stream.Stream<ProcessHandle> sleepers() {
        return ProcessHandle.allProcesses()
                .filter(
                        p ->
                                p.info().commandLine().orElse("").endsWith("sleep 6061")
                                        && !p.info().commandLine().orElse("").contains("kubectl"));
    }

    @Test
    void kubectlCpCopiesAFileInAndOut() throws Exception {
        Path directory = Files.createTempDirectory("cp-test");
        Path local = Files.createTempFile("cp-source", ".txt");
        Path back = directory.resolveSibling(directory.getFileName() + "-back.txt");
        try {
            String content = "copied through exec\n".repeat(2000);
            Files.writeString(local, content);

            kubectl.ok("cp", local.toString(), "web:" + directory + "/inside.txt");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Files.exists(directory.resolve("inside.txt")));
            assertThat(Files.readString(directory.resolve("inside.txt"))).isEqualTo(content);

            kubectl.ok("cp", "web:" + directory + "/inside.txt", back.toString());
            assertThat(Files.readString(back)).isEqualTo(content);
        } finally {
            Files.deleteIfExists(directory.resolve("inside.txt"));
            Files.deleteIfExists(directory);
            Files.deleteIfExists(local);
            Files.deleteIfExists(back);
        }
    }
}
