package io.daskkubernetes.operator.deploy;

import io.daskkubernetes.operator.LeaderElection;
import io.daskkubernetes.operator.OperatorProcess;
import io.daskkubernetes.operator.OperatorSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One operator replica in its own JVM, for {@link LeaderElectionEndToEndTest}: a candidate for the
 * Lease with short timings, its requests marked by the User-Agent {@code candidate-<identity>}. It
 * runs until its standard input closes or it is killed.
 *
 * <p>Arguments: kubeconfig, identity, Lease namespace, lease/renew/retry seconds.
 */
public final class OperatorCandidateMain {

    private OperatorCandidateMain() {}

    public static void main(String[] args) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        config.setUserAgent("candidate-" + args[1]);
        LeaderElection election =
                new LeaderElection(
                        LeaderElection.DEFAULT_LEASE_NAME,
                        args[2],
                        args[1],
                        Duration.ofSeconds(Long.parseLong(args[3])),
                        Duration.ofSeconds(Long.parseLong(args[4])),
                        Duration.ofSeconds(Long.parseLong(args[5])));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
                OperatorProcess operator =
                        OperatorProcess.start(
                                client,
                                OperatorSettings.watching(Set.of())
                                        .electingLeader(election, () -> System.exit(1)),
                                OptionalInt.empty())) {
            System.out.println("candidate " + args[1] + " started");
            while (System.in.read() >= 0) {
                // runs until the test closes our standard input
            }
        }
    }
}
