package io.daskkubernetes.operator;

import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.operator.client.OperatorKubeCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Java client of the operator alone in its JVM: creates DaskCluster {@code args[1]} with a lease
 * of {@code args[2]} seconds through OperatorKubeCluster and holds it until killed, so that a test
 * can SIGKILL it as a crashed client or a closed laptop would die.
 */
public final class OperatorClientChildMain {

    private OperatorClientChildMain() {}

    public static void main(String[] args) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        OperatorKubeCluster cluster =
                OperatorKubeCluster.builder()
                        .kubernetesClient(client)
                        .config(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                        .namespace("default")
                        .name(args[1])
                        .workers(1)
                        .leaseDuration(Duration.ofSeconds(Long.parseLong(args[2])))
                        .start();
        System.out.println("cluster ready: " + cluster.name());
        Thread.currentThread().join();
    }
}
