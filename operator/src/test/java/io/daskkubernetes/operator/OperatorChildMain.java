package io.daskkubernetes.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The operator alone in a JVM of its own, against the API server of a kubeconfig, so that a test
 * can kill it with SIGKILL as a crashed or evicted operator pod would die. Runs until killed.
 */
public final class OperatorChildMain {

    private OperatorChildMain() {}

    public static void main(String[] args) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        DaskOperator.start(client, Set.of(), false);
        System.out.println("operator started");
        Thread.currentThread().join();
    }
}
