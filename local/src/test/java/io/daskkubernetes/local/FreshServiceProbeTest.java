package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Service probed right after it is created, while its pod is still starting its server (Ready at
 * once, as a pod without a readiness probe is, but not yet listening): every connection is either
 * refused, which clients retry, or served; none is accepted and then reset or closed.
 */
class FreshServiceProbeTest {

    private static final int SERVICES = 50;
    private static final int AT_ONCE = 10;
    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.start();
        client = kubernetes.client();
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    /** What one probe saw. */
    record Probe(String service, int refused, String outcome) {}

    @Test
    void fiftyFreshServicesNeverAcceptAndThenReset() throws Exception {
        List<Probe> probes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
        try {
            for (int wave = 0; wave < SERVICES / AT_ONCE; wave++) {
                List<Future<Probe>> running = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    String name = "fresh-" + (wave * AT_ONCE + i);
                    running.add(pool.submit(() -> createAndProbe(name)));
                }
                for (Future<Probe> probe : running) {
                    probes.add(probe.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(probes).hasSize(SERVICES);
        assertThat(probes)
                .as("every probe is refused until the pod listens, then served")
                .allSatisfy(probe -> assertThat(probe.outcome()).isEqualTo("served"));
        // The race this guards against happened: some connections came before the pods listened.
        assertThat(probes.stream().mapToInt(Probe::refused).sum()).isPositive();
    }

    private static Probe createAndProbe(String name) throws Exception {
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .addToLabels("app", name)
                                .endMetadata()
                                .withNewSpec()
                                .withTerminationGracePeriodSeconds(1L)
                                .addNewContainer()
                                .withName("web")
                                .withCommand(
                                        "python3",
                                        "-c",
                                        "import time, http.server\n"
                                                + "time.sleep(0.5)\n"
                                                + "http.server.HTTPServer(('', 8080),"
                                                + " http.server.SimpleHTTPRequestHandler)"
                                                + ".serve_forever()")
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        Service service =
                client.services()
                        .resource(
                                new ServiceBuilder()
                                        .withNewMetadata()
                                        .withName(name)
                                        .endMetadata()
                                        .withNewSpec()
                                        .addToSelector("app", name)
                                        .addNewPort()
                                        .withPort(80)
                                        .withTargetPort(new IntOrString(8080))
                                        .endPort()
                                        .endSpec()
                                        .build())
                        .create();
        try {
            return probe(name, service.getSpec().getClusterIP(), 80);
        } finally {
            client.services().withName(name).delete();
            client.pods().withName(name).delete();
        }
    }

    /** Connects until not refused, then asks for a page: "served" or what went wrong. */
    private static Probe probe(String name, String ip, int port)
            throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + 60_000;
        int refused = 0;
        while (System.currentTimeMillis() < deadline) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(ip, port), 2000);
            } catch (ConnectException e) {
                refused++;
                socket.close();
                Thread.sleep(10);
                continue;
            } catch (IOException e) {
                socket.close();
                return new Probe(name, refused, "connect failed: " + e);
            }
            try (socket) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream()
                        .write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                if (answer.startsWith("HTTP/1.0 200")) {
                    return new Probe(name, refused, "served");
                }
                return new Probe(
                        name, refused, "accepted, then closed with answer '" + answer + "'");
            } catch (IOException e) {
                return new Probe(name, refused, "accepted, then " + e);
            }
        }
        return new Probe(name, refused, "refused for 60 s");
    }
}
