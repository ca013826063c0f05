package io.daskkubernetes.local.kubelet;

import io.daskkubernetes.local.events.EventRecorder;
import io.daskkubernetes.local.network.PodNetwork;
import io.daskkubernetes.local.network.PodSandbox;
import io.daskkubernetes.local.network.SandboxException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pod: its network sandbox, its init containers in order and then its containers as
 * processes, restarts by restartPolicy with back-off, readiness and liveness probes, the status it
 * reports, and its termination (SIGTERM to every container's process group, SIGKILL when the grace
 * period ends, then the pod is removed from the API).
 */
final class PodRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PodRunner.class);
    private static final Duration CONFIG_ERROR_RETRY = Duration.ofSeconds(10);
    private static final long KILL_WAIT_MILLIS = 5000;

    /**
     * What every container gets besides its own env; the runtime identifies its processes by it.
     */
    record Settings(
            KubernetesClient client,
            PodNetwork network,
            ContainerEnvironment environment,
            ScheduledExecutorService executor,
            Path podsDirectory,
            Map<String, String> baseEnvironment,
            String nodeName,
            EventRecorder events,
            EventRecorder schedulerEvents,
            ApiAccess apiAccess,
            Map<String, ImageConfig> images) {

        /** What the runtime knows of {@code image}, or null. */
        ImageConfig image(String image) {
            return image == null || image.isEmpty()
                    ? null
                    : images.get(ImageConfig.repositoryOf(image));
        }
    }

    private final Settings settings;
    private final Pod pod;
    private final String namespace;
    private final String name;
    private final PodDirectories directories;
    private final List<ContainerRun> initContainers = new ArrayList<>();
    private final List<ContainerRun> containers = new ArrayList<>();
    private final Map<String, PodCondition> conditions = new LinkedHashMap<>();
    private final List<ProbeWorker> probes = new ArrayList<>();
    private final Consumer<PodRunner> onFinished;
    private final Object statusWrites = new Object();
    private final Object writeOrder = new Object();

    private PodSandbox sandbox;
    private String podIp;
    private Instant startTime;
    private String terminalPhase;
    private String podReason;
    private String podMessage;
    private boolean terminating;
    private volatile boolean stopped;
    private Instant killDeadline;
    private Future<?> killTimer;
    private boolean statusWritePending;

    PodRunner(Settings settings, Pod pod, Consumer<PodRunner> onFinished) {
        this.settings = settings;
        this.pod = pod;
        this.namespace = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.directories = new PodDirectories(settings.podsDirectory(), pod);
        this.onFinished = onFinished;
        if (pod.getSpec().getInitContainers() != null) {
            pod.getSpec()
                    .getInitContainers()
                    .forEach(c -> initContainers.add(new ContainerRun(c, true)));
        }
        pod.getSpec().getContainers().forEach(c -> containers.add(new ContainerRun(c, false)));
    }

    String namespace() {
        return namespace;
    }

    String name() {
        return name;
    }

    String uid() {
        return pod.getMetadata().getUid();
    }

    void start() {
        settings.executor().execute(this::setUp);
    }

    private synchronized void setUp() {
        if (terminating) {
            return;
        }
        try {
            bind();
            startTime = Instant.now();
            setCondition("PodScheduled", true, null);
            long sandboxStart = System.nanoTime();
            try {
                sandbox = settings.network().createSandbox(podWithNode());
                LOG.debug(
                        "pod {}/{} network ready in {} ms",
                        namespace,
                        name,
                        (System.nanoTime() - sandboxStart) / 1_000_000);
            } catch (SandboxException e) {
                LOG.warn("pod {}/{} gets no network: {}", namespace, name, e.getMessage());
                terminalPhase = "Failed";
                podReason = e.reason();
                podMessage = e.getMessage();
                containers.forEach(c -> c.waiting(e.reason(), e.getMessage()));
                reportStatus();
                return;
            }
            podIp = sandbox.podIp();
            startNext();
        } catch (RuntimeException e) {
            LOG.error("pod {}/{} could not be set up", namespace, name, e);
            terminalPhase = "Failed";
            podReason = "SetupError";
            podMessage = e.getMessage();
        }
        reportStatus();
    }

    /** What the scheduler does on a real cluster: assign the pod to our node. */
    private void bind() {
        if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
            settings.client()
                    .pods()
                    .inNamespace(namespace)
                    .withName(name)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            Serialization.asJson(
                                    Map.of("spec", Map.of("nodeName", settings.nodeName()))));
            settings.schedulerEvents()
                    .record(
                            reference(null),
                            EventRecorder.NORMAL,
                            "Scheduled",
                            "Successfully assigned "
                                    + namespace
                                    + "/"
                                    + name
                                    + " to "
                                    + settings.nodeName());
        }
    }

    /** The pod, or one of its containers, as events name it. */
    private io.fabric8.kubernetes.api.model.ObjectReference reference(ContainerRun run) {
        return new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withNamespace(namespace)
                .withName(name)
                .withUid(uid())
                .withFieldPath(
                        run == null
                                ? null
                                : (run.init ? "spec.initContainers{" : "spec.containers{")
                                        + run.name()
                                        + "}")
                .build();
    }

    private void event(ContainerRun run, String type, String reason, String message) {
        settings.events().record(reference(run), type, reason, message);
    }

    private Pod podWithNode() {
        pod.getSpec().setNodeName(settings.nodeName());
        return pod;
    }

    /**
     * Starts the next init container, or all containers once every init container has succeeded.
     */
    private void startNext() {
        for (ContainerRun init : initContainers) {
            if (!init.succeeded()) {
                if (init.phase == ContainerRun.Phase.WAITING && init.pendingRestart == null) {
                    startContainer(init);
                }
                return;
            }
        }
        setCondition("Initialized", true, null);
        for (ContainerRun run : containers) {
            if (run.phase == ContainerRun.Phase.WAITING && run.pendingRestart == null) {
                startContainer(run);
            }
        }
    }

    private void startContainer(ContainerRun run) {
        if (terminating) {
            return;
        }
        Container spec = run.spec;
        Path workingDirectory = directories.workingDirectory(spec.getName());
        Map<String, String> podEnvironment;
        ContainerUser user;
        SecretVolumes.Mounts mounts;
        Map<String, String> apiVariables = new LinkedHashMap<>();
        try {
            mounts = new SecretVolumes(settings.client()).project(pod, spec, directories.root());
            if (settings.apiAccess() != null) {
                ServiceAccountCredentials credentials =
                        new ServiceAccountCredentials(settings.apiAccess());
                apiVariables.putAll(credentials.serviceVariables());
                if (ServiceAccountCredentials.mounts(pod)) {
                    Path directory = credentials.write(pod, directories.root());
                    mounts = mounts.with(ServiceAccountCredentials.MOUNT_PATH, directory);
                    apiVariables.put("KUBECONFIG", directory.resolve("kubeconfig").toString());
                }
            }
            podEnvironment =
                    mounts.rewrite(
                            settings.environment()
                                    .resolve(
                                            podWithNode(),
                                            spec,
                                            podIp,
                                            settings.network().hostIp()));
            user = userOf(spec);
        } catch (ContainerConfigException | KubernetesClientException e) {
            run.waiting("CreateContainerConfigError", e.getMessage());
            event(run, EventRecorder.WARNING, "Failed", "Error: " + e.getMessage());
            LOG.warn(
                    "container {} of pod {}/{}: {}",
                    spec.getName(),
                    namespace,
                    name,
                    e.getMessage());
            retryLater(run, CONFIG_ERROR_RETRY);
            return;
        }
        List<String> words =
                mounts.rewrite(commandLine(spec, settings.image(spec.getImage()), podEnvironment));
        if (spec.getImage() != null && !spec.getImage().isEmpty()) {
            event(
                    run,
                    EventRecorder.NORMAL,
                    "Pulled",
                    "Container image \"" + spec.getImage() + "\" already present on machine");
        }
        if (words.isEmpty()) {
            String message =
                    "container "
                            + spec.getName()
                            + " has neither command nor args, and the local runtime does not"
                            + " know the ENTRYPOINT of image \""
                            + spec.getImage()
                            + "\" (it cannot pull images): set command (or args) to the program"
                            + " to run";
            run.failedToStart(message, Instant.now());
            event(run, EventRecorder.WARNING, "Failed", "Error: " + message);
            afterExit(run, 128);
            return;
        }
        Map<String, String> environment = new LinkedHashMap<>(settings.baseEnvironment());
        environment.put("HOSTNAME", name);
        environment.put("TMPDIR", directories.tmpDirectory(spec.getName()).toString());
        List<String> prefix = new ArrayList<>(sandbox.commandPrefix());
        if (user.switches()) {
            environment.put("HOME", ContainerUser.homeOf(user.uid()));
            directories.grantTo(spec.getName(), user.uid(), user.gid());
            prefix.addAll(user.commandPrefix());
        }
        environment.putAll(apiVariables);
        environment.putAll(podEnvironment);
        String program = words.get(0);
        Optional<Path> found =
                ProgramLookup.find(program, environment.get("PATH"), workingDirectory);
        if (found.isEmpty()) {
            String message =
                    "exec: \""
                            + program
                            + "\": executable file not found in $PATH ("
                            + environment.get("PATH")
                            + ")";
            run.failedToStart(message, Instant.now());
            event(run, EventRecorder.WARNING, "Failed", "Error: " + message);
            afterExit(run, 128);
            return;
        }
        Path log = directories.logFile(spec.getName(), run.runs);
        ContainerProcess process =
                ContainerProcess.start(
                        prefix,
                        program,
                        words.subList(1, words.size()),
                        environment,
                        workingDirectory,
                        log);
        run.running(process, log);
        run.environment = environment;
        run.workingDirectory = workingDirectory;
        event(run, EventRecorder.NORMAL, "Created", "Created container: " + spec.getName());
        event(run, EventRecorder.NORMAL, "Started", "Started container " + spec.getName());
        LOG.debug(
                "pod {}/{} container {} started as pid {}",
                namespace,
                name,
                spec.getName(),
                process.pid());
        process.exit()
                .whenComplete(
                        (code, error) ->
                                settings.executor()
                                        .execute(
                                                () ->
                                                        onExit(
                                                                run,
                                                                process,
                                                                error == null ? code : 128)));
        startProbes(run, process, prefix);
    }

    /**
     * Who the container runs as: its securityContext's user when the runtime, as root, can switch;
     * the runtime's own user otherwise (said once per container start).
     */
    private ContainerUser userOf(Container spec) {
        ImageConfig image = settings.image(spec.getImage());
        ContainerUser user =
                ContainerUser.of(
                        pod, spec, ContainerUser.RUNTIME_UID, image == null ? null : image.user());
        if (!user.switches() || ContainerUser.RUNTIME_UID == 0) {
            return user;
        }
        if (user.uid() != ContainerUser.RUNTIME_UID) {
            LOG.warn(
                    "pod {}/{} container {} asks for runAsUser {}; a runtime that is not root"
                            + " runs it as its own user {}",
                    namespace,
                    name,
                    spec.getName(),
                    user.uid(),
                    ContainerUser.RUNTIME_UID);
        }
        return ContainerUser.NO_SWITCH;
    }

    /** command + args with $(VAR) expanded; with no command, args[0] is the program. */
    /**
     * The container's command line as Kubernetes builds it: its command and args; with no command,
     * a known image's ENTRYPOINT and the args (or the image's CMD when there are no args either);
     * with no command and an image the runtime does not know, the args alone (args[0] is the
     * program). $(VAR) references of command and args are expanded; the image's words are not.
     */
    private static List<String> commandLine(
            Container spec, ImageConfig image, Map<String, String> environment) {
        List<String> command = spec.getCommand() == null ? List.of() : spec.getCommand();
        List<String> args = spec.getArgs() == null ? List.of() : spec.getArgs();
        List<String> words = new ArrayList<>();
        if (command.isEmpty() && image != null) {
            words.addAll(image.entrypoint());
            if (args.isEmpty()) {
                words.addAll(image.cmd());
            }
        }
        command.forEach(word -> words.add(VariableExpansion.expand(word, environment::get)));
        args.forEach(word -> words.add(VariableExpansion.expand(word, environment::get)));
        return words;
    }

    /**
     * A startup probe first, when there is one; readiness and liveness probes only once it has
     * passed, as the kubelet runs them.
     */
    private void startProbes(ContainerRun run, ContainerProcess process, List<String> execPrefix) {
        if (run.spec.getStartupProbe() == null) {
            startRunningProbes(run, process, execPrefix);
            return;
        }
        startProbe(
                run.spec.getStartupProbe(),
                "startup",
                run,
                process,
                execPrefix,
                started -> onStartup(run, process, execPrefix, started));
    }

    /** Starts a probe of the container of {@code run}; its failures become Unhealthy Events. */
    private void startProbe(
            Probe probe,
            String kind,
            ContainerRun run,
            ContainerProcess process,
            List<String> execPrefix,
            Consumer<Boolean> onChange) {
        String what = Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
        probes.add(
                ProbeWorker.start(
                        probe,
                        kind,
                        run.spec,
                        process,
                        podIp,
                        execPrefix,
                        run.workingDirectory,
                        run.environment,
                        settings.executor(),
                        onChange,
                        failure ->
                                event(
                                        run,
                                        EventRecorder.WARNING,
                                        "Unhealthy",
                                        what + " probe failed: " + failure)));
    }

    private synchronized void onStartup(
            ContainerRun run, ContainerProcess process, List<String> execPrefix, boolean started) {
        if (run.process != process || run.phase != ContainerRun.Phase.RUNNING || terminating) {
            return;
        }
        probes.removeIf(
                probe -> {
                    boolean startupOfThisRun = probe.isFor(process) && probe.isStartup();
                    if (startupOfThisRun) {
                        probe.stop();
                    }
                    return startupOfThisRun;
                });
        if (!started) {
            LOG.info(
                    "pod {}/{} container {} failed its startup probe; killing it",
                    namespace,
                    name,
                    run.name());
            event(
                    run,
                    EventRecorder.NORMAL,
                    "Killing",
                    "Container " + run.name() + " failed startup probe, will be restarted");
            process.signalGroup("KILL");
            return;
        }
        run.startupPassed = true;
        run.ready = !run.hasReadinessProbe();
        reportStatus();
        startRunningProbes(run, process, execPrefix);
    }

    private void startRunningProbes(
            ContainerRun run, ContainerProcess process, List<String> execPrefix) {
        if (run.spec.getReadinessProbe() != null) {
            startProbe(
                    run.spec.getReadinessProbe(),
                    "readiness",
                    run,
                    process,
                    execPrefix,
                    ready -> onReadiness(run, process, ready));
        }
        if (run.spec.getLivenessProbe() != null) {
            startProbe(
                    run.spec.getLivenessProbe(),
                    "liveness",
                    run,
                    process,
                    execPrefix,
                    alive -> onLiveness(run, process, alive));
        }
    }

    private synchronized void onReadiness(
            ContainerRun run, ContainerProcess process, boolean ready) {
        if (run.process != process
                || run.phase != ContainerRun.Phase.RUNNING
                || run.ready == ready) {
            return;
        }
        run.ready = ready;
        reportStatus();
    }

    private synchronized void onLiveness(
            ContainerRun run, ContainerProcess process, boolean alive) {
        if (!alive
                && run.process == process
                && run.phase == ContainerRun.Phase.RUNNING
                && !terminating) {
            LOG.info(
                    "pod {}/{} container {} failed its liveness probe; killing it",
                    namespace,
                    name,
                    run.name());
            event(
                    run,
                    EventRecorder.NORMAL,
                    "Killing",
                    "Container " + run.name() + " failed liveness probe, will be restarted");
            process.signalGroup("KILL");
        }
    }

    private synchronized void onExit(ContainerRun run, ContainerProcess process, int exitCode) {
        if (run.process != process) {
            return;
        }
        // Like a container's cgroup, the group goes with its main process.
        if (!ProcessGroups.killAndWait(process.pid(), KILL_WAIT_MILLIS)) {
            LOG.error(
                    "pod {}/{} container {}: processes of group {} survived SIGKILL after its main"
                            + " process exited",
                    namespace,
                    name,
                    run.name(),
                    process.pid());
        }
        stopProbesOf(process);
        run.exited(exitCode, Instant.now());
        LOG.debug("pod {}/{} container {} exited with {}", namespace, name, run.name(), exitCode);
        if (terminating) {
            finishIfStopped();
            reportStatus();
            return;
        }
        afterExit(run, exitCode);
    }

    /** restartPolicy: Always restarts, OnFailure restarts on a non-zero code, Never never does. */
    private void afterExit(ContainerRun run, int exitCode) {
        String policy = pod.getSpec().getRestartPolicy();
        boolean restart =
                "Always".equals(policy) && !run.init
                        || ("OnFailure".equals(policy) || "Always".equals(policy) && run.init)
                                && exitCode != 0;
        if (restart) {
            Duration delay = RestartBackoff.before(run.restartCount);
            if (!delay.isZero()) {
                event(
                        run,
                        EventRecorder.WARNING,
                        "BackOff",
                        "Back-off restarting failed container "
                                + run.name()
                                + " in pod "
                                + name
                                + "_"
                                + namespace
                                + "("
                                + uid()
                                + ")");
            }
            run.restarting(
                    delay.isZero()
                            ? null
                            : "back-off "
                                    + delay.toSeconds()
                                    + "s restarting failed container="
                                    + run.name()
                                    + " pod="
                                    + name
                                    + "_"
                                    + namespace
                                    + "("
                                    + uid()
                                    + ")");
            retryLater(run, delay);
        } else if (run.init && exitCode != 0) {
            terminalPhase = "Failed";
        } else if (run.init) {
            startNext();
        } else if (containers.stream().allMatch(c -> c.phase == ContainerRun.Phase.TERMINATED)) {
            terminalPhase =
                    containers.stream().allMatch(ContainerRun::succeeded) ? "Succeeded" : "Failed";
        }
        reportStatus();
    }

    private void retryLater(ContainerRun run, Duration delay) {
        run.pendingRestart =
                settings.executor()
                        .schedule(
                                () -> {
                                    synchronized (this) {
                                        run.pendingRestart = null;
                                        if (!terminating) {
                                            startContainer(run);
                                            reportStatus();
                                        }
                                    }
                                },
                                delay.toMillis(),
                                TimeUnit.MILLISECONDS);
    }

    /**
     * The pod got a deletionTimestamp: stop its containers within the grace period, then remove it.
     */
    synchronized void terminate(Instant deadline) {
        if (stopped || terminating && killDeadline != null && !deadline.isBefore(killDeadline)) {
            return;
        }
        boolean first = !terminating;
        terminating = true;
        killDeadline = deadline;
        cancelPending();
        if (first) {
            for (ContainerRun run : allRuns()) {
                if (run.phase == ContainerRun.Phase.RUNNING) {
                    event(run, EventRecorder.NORMAL, "Killing", "Stopping container " + run.name());
                    run.process.signalGroup("TERM");
                }
            }
        }
        if (killTimer != null) {
            killTimer.cancel(false);
        }
        long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        killTimer = settings.executor().schedule(this::killRemaining, delay, TimeUnit.MILLISECONDS);
        finishIfStopped();
    }

    private synchronized void killRemaining() {
        if (stopped) {
            return;
        }
        for (ContainerRun run : allRuns()) {
            if (run.phase == ContainerRun.Phase.RUNNING) {
                LOG.info(
                        "pod {}/{} container {} outlived its grace period; SIGKILL",
                        namespace,
                        name,
                        run.name());
                run.process.signalGroup("KILL");
            }
        }
        killTimer =
                settings.executor()
                        .schedule(this::checkKilled, KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Containers still running this long after SIGKILL are reported (log and pod status) and killed
     * again, so that a pod stuck in Terminating says why.
     */
    private synchronized void checkKilled() {
        if (stopped) {
            return;
        }
        List<String> survivors =
                allRuns().stream()
                        .filter(run -> run.phase == ContainerRun.Phase.RUNNING)
                        .map(run -> run.name() + " (process group " + run.process.pid() + ")")
                        .toList();
        if (survivors.isEmpty()) {
            return;
        }
        podReason = "KillFailed";
        podMessage =
                "container processes survived SIGKILL for "
                        + KILL_WAIT_MILLIS / 1000
                        + " s: "
                        + String.join(", ", survivors)
                        + "; the kubelet keeps sending SIGKILL";
        LOG.error("pod {}/{}: {}", namespace, name, podMessage);
        reportStatus();
        killRemaining();
    }

    private void finishIfStopped() {
        if (stopped || allRuns().stream().anyMatch(r -> r.phase == ContainerRun.Phase.RUNNING)) {
            return;
        }
        stopped = true;
        tearDown();
        settings.executor()
                .execute(
                        () -> {
                            try {
                                settings.client()
                                        .pods()
                                        .inNamespace(namespace)
                                        .withName(name)
                                        .withGracePeriod(0)
                                        .delete();
                            } catch (KubernetesClientException e) {
                                LOG.warn(
                                        "could not remove terminated pod {}/{}",
                                        namespace,
                                        name,
                                        e);
                            }
                            onFinished.accept(this);
                        });
    }

    /** The pod is gone from the API (or the runtime closes): kill everything now and clean up. */
    synchronized void forceStop() {
        if (stopped) {
            return;
        }
        terminating = true;
        stopped = true;
        cancelPending();
        for (ContainerRun run : allRuns()) {
            if (run.process != null && run.phase == ContainerRun.Phase.RUNNING) {
                if (!ProcessGroups.killAndWait(run.process.pid(), KILL_WAIT_MILLIS)) {
                    LOG.error(
                            "process group {} of pod {}/{} survived SIGKILL",
                            run.process.pid(),
                            namespace,
                            name);
                }
            }
        }
        tearDown();
    }

    private void tearDown() {
        probes.forEach(ProbeWorker::stop);
        probes.clear();
        if (killTimer != null) {
            killTimer.cancel(false);
        }
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
        directories.delete();
    }

    private void cancelPending() {
        for (ContainerRun run : allRuns()) {
            if (run.pendingRestart != null) {
                run.pendingRestart.cancel(false);
                run.pendingRestart = null;
            }
        }
    }

    private void stopProbesOf(ContainerProcess process) {
        probes.removeIf(
                probe -> {
                    if (probe.isFor(process)) {
                        probe.stop();
                        return true;
                    }
                    return false;
                });
    }

    private List<ContainerRun> allRuns() {
        List<ContainerRun> all = new ArrayList<>(initContainers);
        all.addAll(containers);
        return all;
    }

    /**
     * Where to run a command in a running container, for exec; empty when it is not running.
     *
     * @param container null for the only (or first) container
     */
    synchronized Optional<ExecTarget> execTarget(String container) {
        if (stopped || sandbox == null) {
            return Optional.empty();
        }
        String wanted = container == null ? containers.get(0).name() : container;
        return allRuns().stream()
                .filter(r -> r.name().equals(wanted) && r.phase == ContainerRun.Phase.RUNNING)
                .filter(r -> r.environment != null)
                .findFirst()
                .map(
                        r ->
                                new ExecTarget(
                                        r.name(),
                                        sandbox.commandPrefix(),
                                        r.environment,
                                        r.workingDirectory));
    }

    /** The log of a container's current or previous run, for pods/log. */
    synchronized Optional<Path> logFile(String container, boolean previous) {
        return allRuns().stream()
                .filter(r -> r.name().equals(container))
                .findFirst()
                .map(r -> previous ? r.previousLog : r.currentLog);
    }

    synchronized boolean isWriting(String container) {
        return allRuns().stream()
                .anyMatch(r -> r.name().equals(container) && r.phase == ContainerRun.Phase.RUNNING);
    }

    List<String> containerNames() {
        return allRuns().stream().map(ContainerRun::name).toList();
    }

    List<String> appContainerNames() {
        return containers.stream().map(ContainerRun::name).toList();
    }

    // ---- status ----

    private void setCondition(String type, boolean value, String reason) {
        String status = value ? "True" : "False";
        PodCondition existing = conditions.get(type);
        if (existing != null
                && existing.getStatus().equals(status)
                && java.util.Objects.equals(existing.getReason(), reason)) {
            return;
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String transition =
                existing != null && existing.getStatus().equals(status)
                        ? existing.getLastTransitionTime()
                        : now;
        conditions.put(
                type,
                new PodConditionBuilder()
                        .withType(type)
                        .withStatus(status)
                        .withReason(reason)
                        .withLastProbeTime(null)
                        .withLastTransitionTime(transition)
                        .build());
    }

    /** The phase by the kubelet's rules. */
    private String phase() {
        if (terminalPhase != null) {
            return terminalPhase;
        }
        if (initContainers.stream().anyMatch(r -> !r.succeeded())) {
            return "Pending";
        }
        boolean anyNeverStarted =
                containers.stream()
                        .anyMatch(
                                r ->
                                        r.phase == ContainerRun.Phase.WAITING
                                                && r.lastTerminated == null
                                                && r.runs == 0);
        if (anyNeverStarted) {
            return "Pending";
        }
        return "Running";
    }

    private synchronized PodStatus buildStatus() {
        String phase = phase();
        // startNext() sets Initialized once every init container has succeeded; until then it is
        // False.
        if (!conditions.containsKey("Initialized")) {
            setCondition("Initialized", false, "ContainersNotInitialized");
        }
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        boolean allReady = !terminal && containers.stream().allMatch(r -> r.ready);
        String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
        setCondition("ContainersReady", allReady, allReady ? null : notReadyReason);
        setCondition("Ready", allReady, allReady ? null : notReadyReason);
        PodStatusBuilder status =
                new PodStatusBuilder()
                        .withPhase(phase)
                        .withConditions(new ArrayList<>(conditions.values()))
                        .withHostIP(settings.network().hostIp())
                        .addNewHostIP(settings.network().hostIp())
                        .withQosClass("BestEffort")
                        .withReason(podReason)
                        .withMessage(podMessage)
                        .withInitContainerStatuses(
                                initContainers.stream().map(ContainerRun::status).toList())
                        .withContainerStatuses(
                                containers.stream().map(ContainerRun::status).toList());
        if (startTime != null) {
            status.withStartTime(startTime.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        if (podIp != null) {
            status.withPodIP(podIp).withPodIPs(new PodIP(podIp));
        }
        return status.build();
    }

    /** Writes the status soon; writes in a burst collapse into one with the latest state. */
    private void reportStatus() {
        synchronized (statusWrites) {
            if (statusWritePending) {
                return;
            }
            statusWritePending = true;
        }
        settings.executor().execute(this::writeStatus);
    }

    private void writeStatus() {
        // One write at a time, each with the state at its start: the last write carries the latest
        // state.
        synchronized (writeOrder) {
            synchronized (statusWrites) {
                statusWritePending = false;
            }
            PodStatus status = buildStatus();
            try {
                settings.client()
                        .pods()
                        .inNamespace(namespace)
                        .withName(name)
                        .subresource("status")
                        .patch(
                                PatchContext.of(PatchType.JSON_MERGE),
                                Serialization.asJson(Map.of("status", status)));
            } catch (KubernetesClientException e) {
                if (stopped && e.getCause() instanceof java.io.InterruptedIOException) {
                    LOG.debug(
                            "status of pod {}/{} not written: the runtime is closing",
                            namespace,
                            name);
                } else if (e.getCode() != 404) {
                    // Nothing else may change for a while (a pod Running steadily): without a
                    // retry its status would stay what it was before, e.g. Pending, for good.
                    LOG.warn(
                            "could not write the status of pod {}/{}; trying again in 1 s",
                            namespace,
                            name,
                            e);
                    if (!stopped) {
                        settings.executor().schedule(this::reportStatus, 1, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }
}
