package io.daskkubernetes.local.kubelet;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one probe of one container run (httpGet, tcpSocket or exec) every periodSeconds after
 * initialDelaySeconds, and reports a change once successThreshold successes or failureThreshold
 * failures in a row say so. Readiness starts as "not ready", liveness as "alive", startup as
 * neither: it reports its first success (started) or its first run of failures (to be killed).
 */
final class ProbeWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeWorker.class);

    private final Probe probe;
    private final String kind;
    private final String container;
    private final io.fabric8.kubernetes.api.model.Container spec;
    private final String podIp;

    /** What puts an exec probe where its container runs: the pod's sandbox, its user. */
    private final List<String> execPrefix;

    /** An exec probe runs in the container's working directory with its environment. */
    private final java.nio.file.Path workingDirectory;

    private final java.util.Map<String, String> environment;

    private final Consumer<Boolean> onChange;
    private final Consumer<String> onFailure;
    private final ContainerProcessRef processRef = new ContainerProcessRef();
    private ScheduledFuture<?> schedule;
    private Boolean result;
    private int successes;
    private int failures;

    private ProbeWorker(
            Probe probe,
            String kind,
            io.fabric8.kubernetes.api.model.Container spec,
            String podIp,
            List<String> execPrefix,
            java.nio.file.Path workingDirectory,
            java.util.Map<String, String> environment,
            Consumer<Boolean> onChange,
            Consumer<String> onFailure) {
        this.workingDirectory = workingDirectory;
        this.environment = environment;
        this.probe = probe;
        this.kind = kind;
        this.spec = spec;
        this.container = spec.getName();
        this.podIp = podIp;
        this.execPrefix = execPrefix;
        this.onChange = onChange;
        this.onFailure = onFailure;
        this.result =
                switch (kind) {
                    case "liveness" -> true;
                    case "startup" -> null;
                    default -> false;
                };
    }

    /**
     * Holds the process this worker probes, so a runner can stop the probes of a run that ended.
     */
    private static final class ContainerProcessRef {
        private ContainerProcess process;
    }

    static ProbeWorker start(
            Probe probe,
            String kind,
            io.fabric8.kubernetes.api.model.Container container,
            ContainerProcess process,
            String podIp,
            List<String> execPrefix,
            java.nio.file.Path workingDirectory,
            java.util.Map<String, String> environment,
            ScheduledExecutorService executor,
            Consumer<Boolean> onChange,
            Consumer<String> onFailure) {
        ProbeWorker worker =
                new ProbeWorker(
                        probe,
                        kind,
                        container,
                        podIp,
                        execPrefix,
                        workingDirectory,
                        environment,
                        onChange,
                        onFailure);
        worker.processRef.process = process;
        long initialDelay = seconds(probe.getInitialDelaySeconds(), 0);
        long period = seconds(probe.getPeriodSeconds(), 10);
        worker.schedule =
                executor.scheduleWithFixedDelay(
                        worker::runOnce, initialDelay * 1000, period * 1000, TimeUnit.MILLISECONDS);
        return worker;
    }

    boolean isFor(ContainerProcess process) {
        return processRef.process == process;
    }

    boolean isStartup() {
        return kind.equals("startup");
    }

    void stop() {
        schedule.cancel(false);
    }

    private void runOnce() {
        String failure;
        try {
            failure = check();
        } catch (RuntimeException e) {
            LOG.debug("{} probe of {} failed", kind, container, e);
            failure = e.getMessage();
        }
        boolean success = failure == null;
        if (!success) {
            onFailure.accept(failure);
        }
        if (success) {
            successes++;
            failures = 0;
        } else {
            failures++;
            successes = 0;
        }
        Boolean next = result;
        if (success && successes >= seconds(probe.getSuccessThreshold(), 1)) {
            next = true;
        } else if (!success && failures >= seconds(probe.getFailureThreshold(), 3)) {
            next = false;
        }
        if (!java.util.Objects.equals(next, result)) {
            result = next;
            onChange.accept(next);
        }
    }

    /** Null when the probe succeeds, else what failed, as the kubelet's Unhealthy events say. */
    private String check() {
        int timeoutMillis = (int) seconds(probe.getTimeoutSeconds(), 1) * 1000;
        if (probe.getHttpGet() != null) {
            var get = probe.getHttpGet();
            String host = get.getHost() == null || get.getHost().isEmpty() ? podIp : get.getHost();
            String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase();
            String path = get.getPath() == null ? "/" : get.getPath();
            try {
                HttpURLConnection connection =
                        (HttpURLConnection)
                                URI.create(scheme + "://" + host + ":" + port(get.getPort()) + path)
                                        .toURL()
                                        .openConnection();
                connection.setConnectTimeout(timeoutMillis);
                connection.setReadTimeout(timeoutMillis);
                if (get.getHttpHeaders() != null) {
                    get.getHttpHeaders()
                            .forEach(h -> connection.setRequestProperty(h.getName(), h.getValue()));
                }
                int code = connection.getResponseCode();
                connection.disconnect();
                return code >= 200 && code < 400
                        ? null
                        : "HTTP probe failed with statuscode: " + code;
            } catch (IOException e) {
                return "Get \""
                        + scheme
                        + "://"
                        + host
                        + ":"
                        + port(get.getPort())
                        + path
                        + "\": "
                        + e.getMessage();
            }
        }
        if (probe.getTcpSocket() != null) {
            String host =
                    probe.getTcpSocket().getHost() == null ? podIp : probe.getTcpSocket().getHost();
            int port = port(probe.getTcpSocket().getPort());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), timeoutMillis);
                return null;
            } catch (IOException e) {
                return "dial tcp " + host + ":" + port + ": " + e.getMessage();
            }
        }
        if (probe.getExec() != null && probe.getExec().getCommand() != null) {
            List<String> command = new ArrayList<>(execPrefix);
            command.addAll(probe.getExec().getCommand());
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command)
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                if (workingDirectory != null) {
                    builder.directory(workingDirectory.toFile());
                }
                if (environment != null) {
                    builder.environment().clear();
                    builder.environment().putAll(environment);
                }
                Process process = builder.start();
                if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return "command timed out";
                }
                return process.exitValue() == 0
                        ? null
                        : "command "
                                + probe.getExec().getCommand()
                                + " exited with "
                                + process.exitValue();
            } catch (IOException e) {
                return e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        throw new IllegalArgumentException(
                "the "
                        + kind
                        + " probe of container "
                        + container
                        + " has no httpGet, tcpSocket or exec");
    }

    private int port(IntOrString port) {
        if (port == null) {
            throw new IllegalArgumentException(
                    "the " + kind + " probe of container " + container + " has no port");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        if (spec.getPorts() != null) {
            for (var containerPort : spec.getPorts()) {
                if (port.getStrVal().equals(containerPort.getName())) {
                    return containerPort.getContainerPort();
                }
            }
        }
        throw new IllegalArgumentException(
                "the "
                        + kind
                        + " probe of container "
                        + container
                        + " names port \""
                        + port.getStrVal()
                        + "\", which the container does not declare in ports");
    }

    private static long seconds(Integer value, int defaultValue) {
        return value == null || value <= 0 ? defaultValue : value;
    }
}
