package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The Kubernetes objects one Dask cluster is made of, built from a {@link ClusterSpec} with no I/O
 * (after Strimzi's model classes): the owner ConfigMap, the scheduler pod, Service and
 * PodDisruptionBudget, and worker pods. Each call returns new objects; the model itself only
 * remembers the worker names it has handed out, so that they stay unique.
 */
public final class ClusterModel {

    /**
     * The variable that switches on the scheduler's HTTP API routes, parsed by Dask as a Python
     * literal.
     */
    public static final String HTTP_ROUTES_ENV = "DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES";

    /**
     * Every route wanted: Dask parses the variable as a Python list that replaces its default one.
     */
    public static final String HTTP_ROUTES =
            "[\"distributed.http.scheduler.prometheus\",\"distributed.http.scheduler.info\","
                    + "\"distributed.http.scheduler.json\",\"distributed.http.health\",\"distributed.http.proxy\","
                    + "\"distributed.http.statics\",\"distributed.http.scheduler.api\"]";

    public static final String SCHEDULER_ADDRESS_ENV = "DASK_SCHEDULER_ADDRESS";
    public static final String WORKER_NAME_ENV = "DASK_WORKER_NAME";

    static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final ClusterSettings spec;
    private final String namespace;
    private final String schedulerAddress;
    private final OwnerReference ownerReference;
    private final RandomGenerator random;
    private final Set<String> issuedWorkerNames;

    /** Whether the cluster speaks TLS (see {@link ClusterTls}). */
    private final boolean tls;

    private ClusterModel(
            ClusterSettings spec,
            String namespace,
            String schedulerAddress,
            OwnerReference ownerReference,
            RandomGenerator random,
            Set<String> issuedWorkerNames) {
        this(spec, namespace, schedulerAddress, ownerReference, random, issuedWorkerNames, false);
    }

    private ClusterModel(
            ClusterSettings spec,
            String namespace,
            String schedulerAddress,
            OwnerReference ownerReference,
            RandomGenerator random,
            Set<String> issuedWorkerNames,
            boolean tls) {
        this.tls = tls;
        this.spec = spec;
        this.namespace = namespace;
        this.schedulerAddress = schedulerAddress;
        this.ownerReference = ownerReference;
        this.random = random;
        this.issuedWorkerNames = issuedWorkerNames;
    }

    /**
     * A cluster whose scheduler runs in a pod: workers reach it through the Service. {@code random}
     * draws the worker names' suffixes (a SecureRandom in production, a fixed seed in tests).
     */
    public static ClusterModel of(ClusterSettings spec, String namespace, RandomGenerator random) {
        checkNamespace(namespace);
        String address = "tcp://" + spec.name() + "." + namespace + ":" + SchedulerPorts.COMM;
        return new ClusterModel(
                spec, namespace, address, null, random, ConcurrentHashMap.newKeySet());
    }

    /** A cluster whose scheduler runs elsewhere (deploy-mode local): workers get this address. */
    public static ClusterModel withExternalScheduler(
            ClusterSettings spec,
            String namespace,
            String schedulerAddress,
            RandomGenerator random) {
        checkNamespace(namespace);
        if (schedulerAddress == null || schedulerAddress.isBlank()) {
            throw new SpecException(
                    "ClusterModel",
                    "schedulerAddress",
                    "is empty",
                    "pass the address workers reach the scheduler at, such as tcp://10.0.0.5:8786");
        }
        return new ClusterModel(
                spec, namespace, schedulerAddress, null, random, ConcurrentHashMap.newKeySet());
    }

    /**
     * Rebuilds the model of a running cluster from its owner ConfigMap (see {@link #owner()}), for
     * a process that did not create it, such as a later {@code scale} command.
     */
    public static ClusterModel fromOwner(ConfigMap owner, RandomGenerator random) {
        return ClusterOwner.rebuild(owner, random);
    }

    /**
     * The same cluster, with every object pointing at {@code createdOwner} (the owner as the API
     * server returned it).
     */
    public ClusterModel ownedBy(HasMetadata createdOwner) {
        if (createdOwner.getMetadata() == null || createdOwner.getMetadata().getUid() == null) {
            throw new SpecException(
                    "ClusterModel",
                    "ownedBy.metadata.uid",
                    "the owner has no uid",
                    "pass the owner object the API server returned after creating it");
        }
        OwnerReference reference =
                new OwnerReferenceBuilder()
                        .withApiVersion(createdOwner.getApiVersion())
                        .withKind(createdOwner.getKind())
                        .withName(createdOwner.getMetadata().getName())
                        .withUid(createdOwner.getMetadata().getUid())
                        .withController(false)
                        .withBlockOwnerDeletion(true)
                        .build();
        return new ClusterModel(
                spec, namespace, schedulerAddress, reference, random, issuedWorkerNames, tls);
    }

    /**
     * The same cluster speaking TLS: its pods mount the Secret {@link #tlsSecret} makes, start Dask
     * with its certificates, and the scheduler's address is {@code tls://}. Only a scheduler in a
     * pod can be given the Secret.
     */
    public ClusterModel withTls() {
        if (spec.deployMode() != DeployMode.REMOTE) {
            throw new SpecException(
                    "cluster settings",
                    "kubernetes.tls",
                    "TLS needs the scheduler in a pod, where the cluster's Secret is mounted",
                    "use kubernetes.deploy-mode remote with TLS, or turn TLS off");
        }
        return new ClusterModel(
                spec,
                namespace,
                ClusterTls.tlsAddress(schedulerAddress),
                ownerReference,
                random,
                issuedWorkerNames,
                true);
    }

    /** Whether the cluster speaks TLS. */
    public boolean tls() {
        return tls;
    }

    /**
     * The Secret holding the cluster's CA and certificates, owned by the cluster's owner so that it
     * goes with the cluster.
     */
    public Secret tlsSecret(TlsCredentials credentials) {
        if (!tls) {
            throw new IllegalStateException("cluster " + spec.name() + " does not use TLS");
        }
        return ClusterTls.secret(
                spec.name(),
                namespace,
                podLabels(DaskLabels.COMPONENT_CLUSTER),
                ownerReferences(),
                credentials);
    }

    public String name() {
        return spec.name();
    }

    public String namespace() {
        return namespace;
    }

    public ClusterSettings settings() {
        return spec;
    }

    /** The address workers are given in DASK_SCHEDULER_ADDRESS. */
    public String schedulerAddressInCluster() {
        return schedulerAddress;
    }

    public Optional<OwnerReference> ownerReference() {
        return Optional.ofNullable(ownerReference);
    }

    /** Selects every object of this cluster. */
    public Map<String, String> clusterLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(DaskLabels.APP, DaskLabels.APP_VALUE);
        labels.put(DaskLabels.CLUSTER_NAME, spec.name());
        return labels;
    }

    public Map<String, String> workerSelector() {
        return withComponent(DaskLabels.COMPONENT_WORKER);
    }

    public Map<String, String> schedulerSelector() {
        return withComponent(DaskLabels.COMPONENT_SCHEDULER);
    }

    /**
     * The one owner object of the cluster: deleting it deletes everything else. Its data describes
     * the cluster.
     */
    public ConfigMap owner() {
        return ClusterOwner.build(this);
    }

    public Pod schedulerPod() {
        Pod pod = spec.schedulerTemplate().orElseGet(spec::workerTemplate);
        boolean ownTemplate = spec.schedulerTemplate().isPresent();
        int index = ownTemplate ? 0 : SpecLint.workerContainerIndex(pod);
        Container container = pod.getSpec().getContainers().get(index);
        if (!ownTemplate) {
            List<String> words =
                    new ArrayList<>(
                            List.of(
                                    "dask-scheduler",
                                    "--port",
                                    Integer.toString(SchedulerPorts.COMM),
                                    "--dashboard-address",
                                    ":" + SchedulerPorts.DASHBOARD));
            spec.idleTimeout()
                    .ifPresent(t -> words.addAll(List.of("--idle-timeout", t.toSeconds() + "s")));
            if (tls) {
                words.addAll(ClusterTls.options(ClusterTls.SCHEDULER));
            }
            WorkerCommandLine.of(container)
                    .ifPresentOrElse(
                            line -> line.writeReplacementTo(container, words),
                            () -> container.setArgs(words));
            container.setPorts(
                    new ArrayList<>(
                            List.of(
                                    new ContainerPortBuilder()
                                            .withName(SchedulerPorts.COMM_NAME)
                                            .withContainerPort(SchedulerPorts.COMM)
                                            .withProtocol("TCP")
                                            .build(),
                                    new ContainerPortBuilder()
                                            .withName(SchedulerPorts.DASHBOARD_NAME)
                                            .withContainerPort(SchedulerPorts.DASHBOARD)
                                            .withProtocol("TCP")
                                            .build())));
        }
        if (container.getReadinessProbe() == null) {
            container.setReadinessProbe(ownTemplate ? commPortProbe() : healthProbe());
        }
        PodDecoration.setEnv(container, spec.env());
        if (tls) {
            // The HTTP API would let anyone who reaches the dashboard port retire workers: a TLS
            // cluster keeps Dask's default routes, and is managed through its TLS comm.
            ClusterTls.mountAndConfigure(pod, spec.name(), ClusterTls.SCHEDULER);
        } else if (!PodDecoration.hasEnv(container, HTTP_ROUTES_ENV)) {
            PodDecoration.setEnv(container, HTTP_ROUTES_ENV, HTTP_ROUTES);
        }
        PodDecoration.identify(
                pod,
                spec.name() + "-scheduler",
                namespace,
                podLabels(DaskLabels.COMPONENT_SCHEDULER),
                ownerReference);
        DefaultScheduling.addTolerations(pod.getSpec(), DaskLabels.COMPONENT_SCHEDULER);
        DefaultScheduling.addAffinity(
                pod.getSpec(), spec.affinityMode(), DaskLabels.COMPONENT_SCHEDULER);
        return pod;
    }

    /**
     * The scheduler's Service, from {@code kubernetes.scheduler-service-template}: the template's
     * annotations, labels and extra fields are kept; the name, our labels, the selector, the type
     * and (when the template has none) the two Dask ports are ours.
     */
    /**
     * The scheduler's {@code /health} route, on the dashboard port our command line gives it: a TCP
     * probe of the comm port would fill the scheduler's log with a handshake error every period.
     */
    private static Probe healthProbe() {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath("/health")
                .withPort(new IntOrString(SchedulerPorts.DASHBOARD))
                .endHttpGet()
                .withPeriodSeconds(1)
                .withTimeoutSeconds(1)
                .build();
    }

    /** For a scheduler template of the user's, whose dashboard may be off: the comm port. */
    private static Probe commPortProbe() {
        return new ProbeBuilder()
                .withNewTcpSocket()
                .withPort(new IntOrString(SchedulerPorts.COMM))
                .endTcpSocket()
                .withPeriodSeconds(2)
                .withTimeoutSeconds(1)
                .build();
    }

    public Service schedulerService() {
        Service template = spec.schedulerServiceTemplate();
        ServiceBuilder service = new ServiceBuilder(template);
        service.editOrNewMetadata()
                .withName(spec.name())
                .withNamespace(namespace)
                .addToLabels(podLabels(DaskLabels.COMPONENT_SCHEDULER))
                .withOwnerReferences(ownerReferences())
                .endMetadata();
        service.editOrNewSpec()
                .withType(spec.schedulerServiceType())
                .withSelector(schedulerSelector())
                .endSpec();
        if (template.getSpec() == null
                || template.getSpec().getPublishNotReadyAddresses() == null) {
            // Clients and workers reach the scheduler the moment it listens (they retry refused
            // connections), not up to a readiness-probe period later.
            service.editSpec().withPublishNotReadyAddresses(true).endSpec();
        }
        boolean templateHasPorts =
                template.getSpec() != null
                        && template.getSpec().getPorts() != null
                        && !template.getSpec().getPorts().isEmpty();
        if (!templateHasPorts) {
            service.editSpec()
                    .addNewPort()
                    .withName(SchedulerPorts.COMM_NAME)
                    .withProtocol("TCP")
                    .withPort(SchedulerPorts.COMM)
                    .withTargetPort(new IntOrString(SchedulerPorts.COMM))
                    .endPort()
                    .addNewPort()
                    .withName(SchedulerPorts.DASHBOARD_NAME)
                    .withProtocol("TCP")
                    .withPort(SchedulerPorts.DASHBOARD)
                    .withTargetPort(new IntOrString(SchedulerPorts.DASHBOARD))
                    .endPort()
                    .endSpec();
        }
        return service.build();
    }

    /**
     * Keeps voluntary evictions away from the scheduler pod, from {@code
     * kubernetes.scheduler-pdb-template} (its minAvailable or maxUnavailable); only in remote mode,
     * when the settings ask for it.
     */
    public Optional<PodDisruptionBudget> podDisruptionBudget() {
        if (!spec.podDisruptionBudget() || spec.deployMode() != DeployMode.REMOTE) {
            return Optional.empty();
        }
        PodDisruptionBudget template = spec.pdbTemplate();
        PodDisruptionBudgetBuilder pdb = new PodDisruptionBudgetBuilder(template);
        pdb.editOrNewMetadata()
                .withName(spec.name())
                .withNamespace(namespace)
                .addToLabels(podLabels(DaskLabels.COMPONENT_SCHEDULER))
                .withOwnerReferences(ownerReferences())
                .endMetadata();
        pdb.editOrNewSpec()
                .withNewSelector()
                .withMatchLabels(schedulerSelector())
                .endSelector()
                .endSpec();
        boolean bounded =
                template.getSpec() != null
                        && (template.getSpec().getMinAvailable() != null
                                || template.getSpec().getMaxUnavailable() != null);
        if (!bounded) {
            pdb.editSpec().withMinAvailable(new IntOrString(1)).endSpec();
        }
        return Optional.of(pdb.build());
    }

    /** A worker pod named {@code workerName}, which is also its Dask worker name. */
    public Pod workerPod(String workerName) {
        if (workerName == null
                || workerName.length() > 253
                || !KubernetesNames.DNS_SUBDOMAIN.matcher(workerName).matches()) {
            throw new SpecException(
                    "ClusterModel",
                    "workerPod.name",
                    "\"" + workerName + "\" is not a valid pod name",
                    "use newWorkerName() or lower-case letters, digits and '-'");
        }
        Pod pod = spec.workerTemplate();
        int index = SpecLint.workerContainerIndex(pod);
        Container worker = pod.getSpec().getContainers().get(index);
        WorkerCommandLine.of(worker)
                .ifPresent(
                        line -> {
                            line.remove("--name");
                            line.set("--name", workerName);
                            if (tls) {
                                List<String> options = ClusterTls.options(ClusterTls.WORKER);
                                for (int i = 0; i < options.size(); i += 2) {
                                    line.remove(options.get(i));
                                    line.set(options.get(i), options.get(i + 1));
                                }
                            }
                            line.writeTo(worker);
                        });
        PodDecoration.setEnv(worker, spec.env());
        for (Container container : pod.getSpec().getContainers()) {
            PodDecoration.setEnv(container, SCHEDULER_ADDRESS_ENV, schedulerAddress);
            PodDecoration.setEnv(container, WORKER_NAME_ENV, workerName);
        }
        if (tls) {
            ClusterTls.mountAndConfigure(pod, spec.name(), ClusterTls.WORKER);
        }
        PodDecoration.identify(
                pod, workerName, namespace, podLabels(DaskLabels.COMPONENT_WORKER), ownerReference);
        DefaultScheduling.addTolerations(pod.getSpec(), DaskLabels.COMPONENT_WORKER);
        DefaultScheduling.addAffinity(
                pod.getSpec(), spec.affinityMode(), DaskLabels.COMPONENT_WORKER);
        return pod;
    }

    /** {@code <name>-worker-<5 random [a-z0-9]>}, never the same twice from this model. */
    public String newWorkerName() {
        // 36^5 names: a thousand collisions in a row means the random source is broken, not unlucky
        for (int attempt = 0; attempt < 1000; attempt++) {
            StringBuilder suffix = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
            }
            String name = spec.name() + "-worker-" + suffix;
            if (issuedWorkerNames.add(name)) {
                return name;
            }
        }
        throw new IllegalStateException(
                "the random source gave 1000 worker names already in use for cluster "
                        + spec.name()
                        + "; pass a real RandomGenerator");
    }

    /** Labels of the cluster's objects of one component: the selector plus the user. */
    Map<String, String> podLabels(String component) {
        Map<String, String> labels = withComponent(component);
        labels.put(DaskLabels.USER, spec.user());
        return labels;
    }

    List<OwnerReference> ownerReferences() {
        return ownerReference == null ? null : new ArrayList<>(List.of(ownerReference));
    }

    private Map<String, String> withComponent(String component) {
        Map<String, String> labels = clusterLabels();
        labels.put(DaskLabels.COMPONENT, component);
        return labels;
    }

    private static void checkNamespace(String namespace) {
        if (namespace == null || !KubernetesNames.isDnsLabel(namespace)) {
            throw new SpecException(
                    "ClusterModel",
                    "namespace",
                    "\"" + namespace + "\" is not a valid namespace",
                    "pass the namespace the cluster lives in, such as default");
        }
    }

    static String yaml(Object object) {
        return KubernetesJson.SERIALIZATION.asYaml(object);
    }
}
