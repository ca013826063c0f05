package io.daskkubernetes.local.controllers;

import io.daskkubernetes.local.network.ServiceRoute;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints controller: keeps one Endpoints object per Service with a selector, listing the
 * matching pods (ready ones as addresses, the others as notReadyAddresses), and beside it one
 * EndpointSlice (discovery.k8s.io/v1, labelled kubernetes.io/service-name, which is what {@code
 * kubectl describe svc} reads), and hands the resulting routes to the service proxy and the pods'
 * hosts files. A Service without a selector routes to the Endpoints object of its name, which its
 * owner writes (as Kubernetes does for the {@code kubernetes} Service and for external backends);
 * this controller never writes or deletes those.
 */
public final class EndpointsController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointsController.class);

    private final KubernetesClient client;
    private final Consumer<List<ServiceRoute>> routesListener;
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread thread = new Thread(r, "endpoints-controller");
                        thread.setDaemon(true);
                        return thread;
                    });
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Map<String, Endpoints> written = new HashMap<>();
    private final Map<String, EndpointSlice> slicesWritten = new HashMap<>();
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    private static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    private volatile SharedIndexInformer<Pod> pods;
    private volatile SharedIndexInformer<Service> services;
    private volatile SharedIndexInformer<Endpoints> endpointsObjects;

    public EndpointsController(
            KubernetesClient client, Consumer<List<ServiceRoute>> routesListener) {
        this.client = client;
        this.routesListener = routesListener;
    }

    public void start() {
        ResourceEventHandler<Object> anyChange =
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Object object) {
                        schedule();
                    }

                    @Override
                    public void onUpdate(Object oldObject, Object newObject) {
                        schedule();
                    }

                    @Override
                    public void onDelete(Object object, boolean deletedFinalStateUnknown) {
                        schedule();
                    }
                };
        @SuppressWarnings({"unchecked", "rawtypes"})
        ResourceEventHandler<Pod> podHandler = (ResourceEventHandler) anyChange;
        @SuppressWarnings({"unchecked", "rawtypes"})
        ResourceEventHandler<Service> serviceHandler = (ResourceEventHandler) anyChange;
        pods = client.pods().inAnyNamespace().inform(podHandler, 0);
        services = client.services().inAnyNamespace().inform(serviceHandler, 0);
        @SuppressWarnings({"unchecked", "rawtypes"})
        ResourceEventHandler<Endpoints> endpointsHandler = (ResourceEventHandler) anyChange;
        endpointsObjects = client.endpoints().inAnyNamespace().inform(endpointsHandler, 0);
        schedule();
    }

    /** Collapses bursts of events into one pass that sees the latest state. */
    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            worker.execute(
                    () -> {
                        scheduled.set(false);
                        try {
                            reconcile();
                        } catch (RuntimeException e) {
                            LOG.warn("endpoints pass failed; the next change retries", e);
                        }
                    });
        }
    }

    private void reconcile() {
        if (pods == null || services == null || endpointsObjects == null) {
            return; // an informer's first events, before start() has them all: its end schedules a
            // pass
        }
        List<ServiceRoute> routes = new ArrayList<>();
        Map<String, Endpoints> wanted = new HashMap<>();
        Map<String, EndpointSlice> wantedSlices = new HashMap<>();
        List<Pod> allPods = pods.getStore().list();
        for (Service service : services.getStore().list()) {
            Map<String, String> selector = service.getSpec().getSelector();
            if ("ExternalName".equals(service.getSpec().getType())) {
                continue;
            }
            if (selector == null || selector.isEmpty()) {
                Endpoints own = endpointsObjects.getStore().getByKey(key(service));
                if (own != null) {
                    routes.add(SelectorlessRoutes.route(service, own));
                }
                continue;
            }
            List<Pod> members =
                    allPods.stream()
                            .filter(
                                    pod ->
                                            pod.getMetadata()
                                                    .getNamespace()
                                                    .equals(service.getMetadata().getNamespace()))
                            .filter(
                                    pod ->
                                            pod.getMetadata().getLabels() != null
                                                    && pod.getMetadata()
                                                            .getLabels()
                                                            .entrySet()
                                                            .containsAll(selector.entrySet()))
                            .filter(
                                    pod ->
                                            pod.getStatus() != null
                                                    && pod.getStatus().getPodIP() != null)
                            .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                            .filter(
                                    pod ->
                                            !"Succeeded".equals(pod.getStatus().getPhase())
                                                    && !"Failed".equals(pod.getStatus().getPhase()))
                            .toList();
            // publishNotReadyAddresses: every pod with an IP is an address, ready or not, and
            // traffic reaches it as soon as it listens (Kubernetes' own semantics).
            boolean publishNotReady =
                    Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
            List<Pod> ready =
                    members.stream().filter(pod -> publishNotReady || isReady(pod)).toList();
            List<Pod> notReady =
                    members.stream().filter(pod -> !publishNotReady && !isReady(pod)).toList();
            wanted.put(key(service), endpoints(service, ready, notReady));
            wantedSlices.put(key(service), slice(service, ready, notReady));
            routes.add(route(service, ready));
        }
        // The proxy first: whoever sees the new Endpoints may connect to the Service at once.
        routesListener.accept(routes);
        for (Map.Entry<String, Endpoints> entry : wanted.entrySet()) {
            Endpoints previous = written.get(entry.getKey());
            if (previous == null
                    || !Objects.equals(previous.getSubsets(), entry.getValue().getSubsets())) {
                write(entry.getValue());
                written.put(entry.getKey(), entry.getValue());
            }
        }
        reconcileSlices(wantedSlices);
        for (String gone : new ArrayList<>(written.keySet())) {
            if (!wanted.containsKey(gone)) {
                Endpoints endpoints = written.remove(gone);
                try {
                    client.endpoints()
                            .inNamespace(endpoints.getMetadata().getNamespace())
                            .withName(endpoints.getMetadata().getName())
                            .delete();
                } catch (KubernetesClientException e) {
                    LOG.debug("endpoints {} already gone", gone);
                }
            }
        }
    }

    private void reconcileSlices(Map<String, EndpointSlice> wanted) {
        for (Map.Entry<String, EndpointSlice> entry : wanted.entrySet()) {
            EndpointSlice previous = slicesWritten.get(entry.getKey());
            EndpointSlice slice = entry.getValue();
            if (previous == null
                    || !Objects.equals(previous.getEndpoints(), slice.getEndpoints())
                    || !Objects.equals(previous.getPorts(), slice.getPorts())) {
                try {
                    client.discovery()
                            .v1()
                            .endpointSlices()
                            .resource(slice)
                            .createOr(existing -> existing.update());
                    slicesWritten.put(entry.getKey(), slice);
                } catch (KubernetesClientException e) {
                    LOG.debug("could not write endpoint slice {}", entry.getKey(), e);
                }
            }
        }
        for (String gone : new ArrayList<>(slicesWritten.keySet())) {
            if (!wanted.containsKey(gone)) {
                EndpointSlice slice = slicesWritten.remove(gone);
                try {
                    client.discovery()
                            .v1()
                            .endpointSlices()
                            .inNamespace(slice.getMetadata().getNamespace())
                            .withName(slice.getMetadata().getName())
                            .delete();
                } catch (KubernetesClientException e) {
                    LOG.debug("endpoint slice {} already gone", gone);
                }
            }
        }
    }

    private static EndpointSlice slice(Service service, List<Pod> ready, List<Pod> notReady) {
        List<Endpoint> endpoints = new ArrayList<>();
        ready.forEach(pod -> endpoints.add(sliceEndpoint(pod, true)));
        notReady.forEach(pod -> endpoints.add(sliceEndpoint(pod, false)));
        Pod sample = ready.isEmpty() ? (notReady.isEmpty() ? null : notReady.get(0)) : ready.get(0);
        List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> ports = new ArrayList<>();
        for (ServicePort port : service.getSpec().getPorts()) {
            ports.add(
                    new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder()
                            .withName(port.getName() == null ? "" : port.getName())
                            .withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol())
                            .withPort(sample == null ? null : targetPort(sample, port))
                            .build());
        }
        Map<String, String> labels = new HashMap<>();
        if (service.getMetadata().getLabels() != null) {
            labels.putAll(service.getMetadata().getLabels());
        }
        labels.put(SERVICE_NAME_LABEL, service.getMetadata().getName());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(service.getMetadata().getName())
                .withNamespace(service.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(
                        new OwnerReferenceBuilder()
                                .withApiVersion("v1")
                                .withKind("Service")
                                .withName(service.getMetadata().getName())
                                .withUid(service.getMetadata().getUid())
                                .withController(true)
                                .withBlockOwnerDeletion(true)
                                .build())
                .endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(endpoints)
                .withPorts(ports)
                .build();
    }

    private static Endpoint sliceEndpoint(Pod pod, boolean ready) {
        return new EndpointBuilder()
                .withAddresses(pod.getStatus().getPodIP())
                .withNewConditions()
                .withReady(ready)
                .withServing(ready)
                .withTerminating(false)
                .endConditions()
                .withNodeName(pod.getSpec().getNodeName())
                .withNewTargetRef()
                .withKind("Pod")
                .withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace())
                .withUid(pod.getMetadata().getUid())
                .endTargetRef()
                .build();
    }

    private void write(Endpoints endpoints) {
        try {
            client.endpoints().resource(endpoints).createOr(existing -> existing.update());
        } catch (KubernetesClientException e) {
            if (e.getCause() instanceof java.io.InterruptedIOException) {
                LOG.debug("endpoints not written: the runtime is closing");
            } else {
                LOG.warn(
                        "could not write endpoints {}/{}",
                        endpoints.getMetadata().getNamespace(),
                        endpoints.getMetadata().getName(),
                        e);
            }
        }
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Endpoints endpoints(Service service, List<Pod> ready, List<Pod> notReady) {
        List<EndpointSubset> subsets = new ArrayList<>();
        if (!ready.isEmpty() || !notReady.isEmpty()) {
            Pod sample = ready.isEmpty() ? notReady.get(0) : ready.get(0);
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort port : service.getSpec().getPorts()) {
                ports.add(
                        new EndpointPortBuilder()
                                .withName(port.getName())
                                .withProtocol(port.getProtocol())
                                .withPort(targetPort(sample, port))
                                .build());
            }
            subsets.add(
                    new EndpointSubsetBuilder()
                            .withAddresses(
                                    ready.stream().map(EndpointsController::address).toList())
                            .withNotReadyAddresses(
                                    notReady.stream().map(EndpointsController::address).toList())
                            .withPorts(ports)
                            .build());
        }
        return new EndpointsBuilder()
                .withNewMetadata()
                .withName(service.getMetadata().getName())
                .withNamespace(service.getMetadata().getNamespace())
                .withLabels(service.getMetadata().getLabels())
                .endMetadata()
                .withSubsets(subsets)
                .build();
    }

    private static EndpointAddress address(Pod pod) {
        return new EndpointAddressBuilder()
                .withIp(pod.getStatus().getPodIP())
                .withNodeName(pod.getSpec().getNodeName())
                .withNewTargetRef()
                .withKind("Pod")
                .withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace())
                .withUid(pod.getMetadata().getUid())
                .endTargetRef()
                .build();
    }

    private static ServiceRoute route(Service service, List<Pod> ready) {
        List<ServiceRoute.Port> ports = new ArrayList<>();
        for (ServicePort port : service.getSpec().getPorts()) {
            List<ServiceRoute.Target> targets =
                    ready.stream()
                            .map(
                                    pod ->
                                            new ServiceRoute.Target(
                                                    pod.getStatus().getPodIP(),
                                                    targetPort(pod, port)))
                            .toList();
            IntOrString target = port.getTargetPort();
            Integer targetNumber = target == null ? port.getPort() : target.getIntVal();
            ports.add(ServiceRoutes.port(port, targetNumber, targets));
        }
        return ServiceRoutes.of(
                service, ports, ready.stream().map(p -> p.getStatus().getPodIP()).toList());
    }

    /** A target port by number, or by the name of a container port of the pod. */
    private static int targetPort(Pod pod, ServicePort port) {
        IntOrString target = port.getTargetPort();
        if (target == null) {
            return port.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        for (Container container : pod.getSpec().getContainers()) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort containerPort : container.getPorts()) {
                if (target.getStrVal().equals(containerPort.getName())) {
                    return containerPort.getContainerPort();
                }
            }
        }
        return port.getPort();
    }

    private static String key(Service service) {
        return service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
    }

    @Override
    public void close() {
        if (pods != null) {
            pods.close();
        }
        if (services != null) {
            services.close();
        }
        if (endpointsObjects != null) {
            endpointsObjects.close();
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
