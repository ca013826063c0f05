package io.daskkubernetes.local;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local runtime in a JVM of its own, for tests that kill a runtime's JVM or run one in another
 * PID namespace ({@link ChildRuntime} starts it). Prints one "READY" line with what a test needs,
 * then obeys lines on standard input until it ends, and closes the runtime.
 */
public final class ChildRuntimeMain {

    private ChildRuntimeMain() {}

    public static void main(String[] args) throws Exception {
        PodNetworkMode mode = PodNetworkMode.valueOf(args[0]);
        try (LocalKubernetes kubernetes = LocalKubernetes.builder().podNetwork(mode).start()) {
            System.out.println(
                    "READY "
                            + kubernetes.runtimeId()
                            + " "
                            + (kubernetes.networkPrefix() == null
                                    ? "-"
                                    : kubernetes.networkPrefix())
                            + " "
                            + kubernetes.stateDirectory()
                            + " "
                            + kubernetes.kubeconfig());
            BufferedReader input =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = input.readLine()) != null) {
                if (line.startsWith("lastpid ")) {
                    // The next PID this namespace hands out is one more than this.
                    Files.writeString(
                            Path.of("/proc/sys/kernel/ns_last_pid"), line.substring(8).trim());
                    System.out.println("OK");
                }
            }
        }
    }
}
