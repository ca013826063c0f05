package io.daskkubernetes.local.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Registers the one node of the local runtime, with this machine's capacity, as a kubelet does at
 * start.
 */
public final class NodeRegistration {

    public static final String NODE_NAME = "local";

    private NodeRegistration() {}

    public static Node register(KubernetesClient client, String nodeIp) {
        String now = Instant.now().toString();
        Map<String, Quantity> capacity =
                Map.of(
                        "cpu",
                                new Quantity(
                                        String.valueOf(Runtime.getRuntime().availableProcessors())),
                        "memory", new Quantity(memoryKibibytes() + "Ki"),
                        "pods", new Quantity("110"));
        Node node =
                new NodeBuilder()
                        .withNewMetadata()
                        .withName(NODE_NAME)
                        .addToLabels("kubernetes.io/hostname", NODE_NAME)
                        .addToLabels("kubernetes.io/os", "linux")
                        .addToLabels("node-role.kubernetes.io/control-plane", "")
                        .endMetadata()
                        .withNewStatus()
                        .withCapacity(capacity)
                        .withAllocatable(capacity)
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .withReason("KubeletReady")
                        .withMessage("local runtime kubelet is posting ready status")
                        .withLastHeartbeatTime(now)
                        .withLastTransitionTime(now)
                        .endCondition()
                        .addNewAddress()
                        .withType("InternalIP")
                        .withAddress(nodeIp)
                        .endAddress()
                        .addNewAddress()
                        .withType("Hostname")
                        .withAddress(hostname())
                        .endAddress()
                        .withNewNodeInfo()
                        .withOperatingSystem("linux")
                        .withArchitecture(System.getProperty("os.arch"))
                        .withKubeletVersion("v1.32.0-dask-local")
                        .withContainerRuntimeVersion("process://local")
                        .withKernelVersion(System.getProperty("os.version"))
                        .withOsImage(System.getProperty("os.name"))
                        .withMachineID("")
                        .withSystemUUID("")
                        .withBootID("")
                        .withKubeProxyVersion("")
                        .endNodeInfo()
                        .endStatus()
                        .build();
        return client.nodes().resource(node).create();
    }

    private static long memoryKibibytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or an unexpected format: the JVM's own view is the next best answer.
            return Runtime.getRuntime().maxMemory() / 1024;
        }
        return Runtime.getRuntime().maxMemory() / 1024;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return NODE_NAME;
        }
    }
}
