package io.daskkubernetes.ui;

import io.daskkubernetes.model.SchedulerPorts;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ServiceResource;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler reached through the API server: fabric8 port-forwards (WebSockets, no kubectl) from
 * loopback ports (any free ones) to the scheduler Service's comm port, and to its dashboard port
 * when the Service has one. Each forward holds a listening socket and a thread until closed.
 */
final class SchedulerForward implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulerForward.class);

    private final String service;
    private final List<LocalPortForward> forwards;
    private final ClusterFacts.SchedulerAddress address;

    private SchedulerForward(
            String service,
            List<LocalPortForward> forwards,
            ClusterFacts.SchedulerAddress address) {
        this.service = service;
        this.forwards = forwards;
        this.address = address;
    }

    /** Opens the forwards; they connect to a pod of the Service when a connection comes. */
    static SchedulerForward open(KubernetesClient client, Service service) {
        String namespace = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        ServiceResource<Service> resource = client.services().inNamespace(namespace).withName(name);
        List<LocalPortForward> opened = new ArrayList<>();
        try {
            // Loopback only: fabric8's portForward(port) listens on every interface, which would
            // hand the scheduler to anyone on this machine's networks.
            InetAddress loopback = InetAddress.getLoopbackAddress();
            LocalPortForward comm = resource.portForward(SchedulerPorts.COMM, loopback, 0);
            opened.add(comm);
            String dashboard = null;
            if (serves(service, SchedulerPorts.DASHBOARD)) {
                LocalPortForward http = resource.portForward(SchedulerPorts.DASHBOARD, loopback, 0);
                opened.add(http);
                dashboard = "http://" + hostAndPort(http);
            }
            ClusterFacts.SchedulerAddress address =
                    new ClusterFacts.SchedulerAddress(
                            "tcp://" + hostAndPort(comm),
                            dashboard,
                            ClusterFacts.SchedulerAddress.PORT_FORWARD);
            // Debug: a scheduler that is down has its forward reopened every round.
            log.debug(
                    "Scheduler Service {}/{} forwarded to {}{}",
                    namespace,
                    name,
                    address.comm(),
                    dashboard == null ? "" : " and " + dashboard);
            return new SchedulerForward(namespace + "/" + name, opened, address);
        } catch (RuntimeException e) {
            opened.forEach(SchedulerForward::closeQuietly);
            throw e;
        }
    }

    private static String hostAndPort(LocalPortForward forward) {
        String host = forward.getLocalAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + forward.getLocalPort();
    }

    private static boolean serves(Service service, int port) {
        return service.getSpec() != null
                && service.getSpec().getPorts().stream()
                        .map(ServicePort::getPort)
                        .anyMatch(p -> p != null && p == port);
    }

    /** The loopback addresses that lead to the scheduler. */
    ClusterFacts.SchedulerAddress address() {
        return address;
    }

    @Override
    public void close() {
        forwards.forEach(SchedulerForward::closeQuietly);
        log.debug("Closed the port-forward to scheduler Service {}", service);
    }

    private static void closeQuietly(LocalPortForward forward) {
        try {
            forward.close();
        } catch (IOException e) {
            // Closing only releases our own socket: nothing to do but say so.
            log.warn(
                    "Closing a port-forward to {} failed: {}",
                    forward.getLocalPort(),
                    e.toString());
        }
    }
}
