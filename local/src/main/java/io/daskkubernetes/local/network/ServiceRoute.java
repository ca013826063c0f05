package io.daskkubernetes.local.network;

import java.util.List;

/**
 * Where a Service sends traffic: its cluster IP and ports, and for each port the ready pods behind
 * it.
 *
 * @param clusterIp the cluster IP, "None" for a headless Service
 */
public record ServiceRoute(
        String namespace, String name, String clusterIp, List<Port> ports, List<String> readyIps) {

    /**
     * A Service port and the ready endpoints ({@code ip:targetPort}) behind it.
     *
     * @param nodePort the port on the node that also leads here (NodePort and LoadBalancer
     *     Services), or null
     */
    public record Port(
            String name,
            int port,
            String protocol,
            Integer targetPortNumber,
            Integer nodePort,
            List<Target> targets) {}

    /** One endpoint of a port. */
    public record Target(String ip, int port) {}

    public boolean isHeadless() {
        return clusterIp == null || clusterIp.isEmpty() || clusterIp.equals("None");
    }
}
