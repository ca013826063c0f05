package io.daskkubernetes.cluster;

import io.daskkubernetes.model.SchedulerPorts;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ServiceResource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds how this process reaches a cluster's scheduler Service, in classic KubeCluster's order:
 * in-cluster DNS when running in a pod; a LoadBalancer's ingress; a NodePort on a node; the
 * Service's cluster IP when it is routable from here; else a port-forward through the API server.
 */
final class SchedulerEndpoints {

    private static final Logger log = LoggerFactory.getLogger(SchedulerEndpoints.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final KubernetesClient client;

    SchedulerEndpoints(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param wait how long the scheduler may take to answer (and a LoadBalancer to get an address)
     * @param readiness the scheduler pod's, started: the cluster IP is used as soon as the
     *     scheduler answers there; other ways wait for the pod to be Ready
     */
    SchedulerEndpoint reach(
            String namespace, String serviceName, Duration wait, SchedulerReadiness readiness) {
        ServiceResource<Service> resource =
                client.services().inNamespace(namespace).withName(serviceName);
        Service service = resource.get();
        if (service == null) {
            throw new ClusterException(
                    "scheduler Service " + namespace + "/" + serviceName + " does not exist");
        }
        awaitEndpoints(namespace, serviceName, wait);
        SchedulerEndpoint endpoint = chooseEndpoint(resource, service, namespace, wait, readiness);
        log.info(
                "Scheduler {}/{} reached at {} ({})",
                namespace,
                serviceName,
                endpoint.tcpAddress(),
                endpoint.how());
        return endpoint;
    }

    /**
     * A Service forwards nothing until the Endpoints controller has seen its pod (ready, or just
     * started when the Service publishes not-ready addresses); probing its cluster IP before that
     * would wrongly conclude that the IP is not routable from here.
     */
    private void awaitEndpoints(String namespace, String serviceName, Duration wait) {
        try {
            client.endpoints()
                    .inNamespace(namespace)
                    .withName(serviceName)
                    .waitUntilCondition(
                            endpoints ->
                                    endpoints != null
                                            && endpoints.getSubsets().stream()
                                                    .anyMatch(
                                                            subset ->
                                                                    !subset.getAddresses()
                                                                            .isEmpty()),
                            wait.toMillis(),
                            TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new ClusterException(
                    "Service "
                            + namespace
                            + "/"
                            + serviceName
                            + " has no endpoint after "
                            + wait.toSeconds()
                            + " s although its scheduler pod runs; check the Service's selector",
                    e);
        }
    }

    private SchedulerEndpoint chooseEndpoint(
            ServiceResource<Service> resource,
            Service service,
            String namespace,
            Duration wait,
            SchedulerReadiness readiness) {
        if (KubernetesAccess.runningInCluster()) {
            readiness.awaitReady(wait);
            String dns = service.getMetadata().getName() + "." + namespace;
            return SchedulerEndpoint.direct(
                    dns, SchedulerPorts.COMM, SchedulerPorts.DASHBOARD, "in-cluster DNS");
        }
        String type = service.getSpec().getType();
        if ("LoadBalancer".equals(type)) {
            readiness.awaitReady(wait);
            return loadBalancer(resource, wait);
        }
        if ("NodePort".equals(type)) {
            readiness.awaitReady(wait);
            Optional<SchedulerEndpoint> nodePort = nodePort(service);
            if (nodePort.isPresent()) {
                return nodePort.get();
            }
        }
        // As soon as the scheduler answers at the cluster IP: it is routable from here.
        String clusterIp = service.getSpec().getClusterIP();
        if (clusterIp != null
                && !clusterIp.isBlank()
                && !"None".equals(clusterIp)
                && new ServiceAddressProbe(clusterIp, servicePorts(service))
                        .answersWithin(wait, readiness::failIfFailed)) {
            return SchedulerEndpoint.direct(
                    clusterIp, SchedulerPorts.COMM, SchedulerPorts.DASHBOARD, "cluster IP");
        }
        // A port-forward accepts before the pod answers: wait for the pod's readiness first.
        readiness.awaitReady(wait);
        return portForward(resource);
    }

    private SchedulerEndpoint loadBalancer(ServiceResource<Service> resource, Duration wait) {
        Service ready =
                resource.waitUntilCondition(
                        s ->
                                s != null
                                        && s.getStatus() != null
                                        && s.getStatus().getLoadBalancer() != null
                                        && !s.getStatus().getLoadBalancer().getIngress().isEmpty(),
                        wait.toMillis(),
                        TimeUnit.MILLISECONDS);
        LoadBalancerIngress ingress = ready.getStatus().getLoadBalancer().getIngress().get(0);
        String host = ingress.getIp() != null ? ingress.getIp() : ingress.getHostname();
        return SchedulerEndpoint.direct(
                host, SchedulerPorts.COMM, SchedulerPorts.DASHBOARD, "LoadBalancer ingress");
    }

    private Optional<SchedulerEndpoint> nodePort(Service service) {
        Integer comm = nodePortOf(service, SchedulerPorts.COMM);
        Integer dashboard = nodePortOf(service, SchedulerPorts.DASHBOARD);
        if (comm == null || dashboard == null) {
            return Optional.empty();
        }
        for (Node node : client.nodes().list().getItems()) {
            List<NodeAddress> addresses =
                    node.getStatus() == null ? List.of() : node.getStatus().getAddresses();
            for (String wanted : List.of("ExternalIP", "InternalIP")) {
                for (NodeAddress address : addresses) {
                    if (wanted.equals(address.getType())) {
                        return Optional.of(
                                SchedulerEndpoint.direct(
                                        address.getAddress(), comm, dashboard, "NodePort"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The scheduler's ports that the Service serves (a template may leave the dashboard out). */
    private static List<Integer> servicePorts(Service service) {
        return service.getSpec().getPorts().stream()
                .map(ServicePort::getPort)
                .filter(port -> port == SchedulerPorts.COMM || port == SchedulerPorts.DASHBOARD)
                .toList();
    }

    private static Integer nodePortOf(Service service, int port) {
        for (ServicePort servicePort : service.getSpec().getPorts()) {
            if (servicePort.getPort() == port) {
                return servicePort.getNodePort();
            }
        }
        return null;
    }

    private SchedulerEndpoint portForward(ServiceResource<Service> resource) {
        // Loopback only: fabric8's portForward(port) listens on every interface, which would hand
        // the scheduler to anyone on this machine's networks.
        InetAddress loopback = InetAddress.getLoopbackAddress();
        LocalPortForward comm = resource.portForward(SchedulerPorts.COMM, loopback, 0);
        LocalPortForward dashboard = resource.portForward(SchedulerPorts.DASHBOARD, loopback, 0);
        return new SchedulerEndpoint(
                "127.0.0.1",
                comm.getLocalPort(),
                dashboard.getLocalPort(),
                "port-forward",
                List.of(comm, dashboard));
    }

    static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            log.debug("{}:{} is not reachable from here: {}", host, port, e.toString());
            return false;
        }
    }
}
