package io.daskkubernetes.local.streams;

import io.daskkubernetes.local.api.ApiPath;
import io.daskkubernetes.local.api.LogRequestException;
import io.daskkubernetes.local.api.StreamingEndpoint;
import io.daskkubernetes.local.kubelet.ExecTarget;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pods/exec, pods/attach and pods/portforward over WebSockets, as kube-apiserver and the kubelet
 * serve them to kubectl 1.32 and fabric8 7.5:
 *
 * <ul>
 *   <li>exec with the channel protocols {@code v5.channel.k8s.io} and {@code v4.channel.k8s.io}
 *       (stdin 0, stdout 1, stderr 2, the exit status as a Status on 3, resize 4, and in v5 "close
 *       stdin" on 255), which {@code kubectl cp} also uses;
 *   <li>port-forward with {@code v4.channel.k8s.io} (fabric8: a data and an error channel per port,
 *       each opened by the port number) and with SPDY/3.1 tunnelled through the WebSocket ({@code
 *       SPDY/3.1+portforward.k8s.io}, kubectl's default since 1.31).
 * </ul>
 *
 * SPDY upgrades without a WebSocket (kubectl's fallback, or KUBECTL_PORT_FORWARD_WEBSOCKETS=false)
 * are refused with a Status that says so. attach is not served: containers' output goes to their
 * log files ({@code kubectl logs -f}) and their stdin is /dev/null.
 */
public final class PodStreams implements StreamingEndpoint, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodStreams.class);

    /** Where a command runs in a container; throws LogRequestException when it cannot. */
    public interface ExecTargets {
        ExecTarget find(String namespace, String pod, String container);
    }

    private final Function<String, Optional<Pod>> pods;
    private final ExecTargets execTargets;
    private final ExecutorService threads;

    /** Processes started by exec that still run: killed when the runtime closes. */
    private final java.util.Set<Process> execProcesses =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param pods finds a pod by its object path
     */
    public PodStreams(Function<String, Optional<Pod>> pods, ExecTargets execTargets) {
        this.pods = pods;
        this.execTargets = execTargets;
        AtomicInteger count = new AtomicInteger();
        this.threads =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread thread = new Thread(r, "pod-streams-" + count.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    @Override
    public boolean handles(ApiPath path) {
        return path.isCoreResource("pods")
                && path.name() != null
                && ("exec".equals(path.subresource())
                        || "attach".equals(path.subresource())
                        || "portforward".equals(path.subresource()));
    }

    @Override
    public void handle(HttpServerRequest request, ApiPath path) {
        try {
            route(request, path);
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.method(), request.uri(), e);
            refuse(request, 500, "InternalError", e.toString());
        }
    }

    private void route(HttpServerRequest request, ApiPath path) {
        String upgrade = request.getHeader("Upgrade");
        boolean webSocket =
                upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
        if (!webSocket) {
            String message =
                    upgrade != null && upgrade.toUpperCase(Locale.ROOT).startsWith("SPDY")
                            ? "the local runtime serves "
                                    + path.subresource()
                                    + " over WebSockets only, not SPDY; kubectl 1.30+ uses them"
                                    + " unless KUBECTL_REMOTE_COMMAND_WEBSOCKETS or"
                                    + " KUBECTL_PORT_FORWARD_WEBSOCKETS is false"
                            : "pods/" + path.subresource() + " needs a WebSocket upgrade";
            refuse(request, 400, "BadRequest", message);
            return;
        }
        Optional<Pod> pod = pods.apply(path.objectPath());
        if (pod.isEmpty()) {
            refuse(request, 404, "NotFound", "pods \"" + path.name() + "\" not found");
            return;
        }
        String phase = pod.get().getStatus() == null ? null : pod.get().getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            refuse(
                    request,
                    400,
                    "BadRequest",
                    "cannot "
                            + path.subresource()
                            + " into a container in a completed pod; current phase is "
                            + phase);
            return;
        }
        switch (path.subresource()) {
            case "exec" -> exec(request, path);
            case "portforward" -> portForward(request, path, pod.get());
            default ->
                    refuse(
                            request,
                            501,
                            "NotImplemented",
                            "attach is not supported by the local runtime: containers' stdin is"
                                    + " /dev/null; use kubectl logs -f for their output");
        }
    }

    private void exec(HttpServerRequest request, ApiPath path) {
        List<String> command = queryValues(request.uri(), "command");
        if (command.isEmpty()) {
            refuse(request, 400, "BadRequest", "you must specify at least 1 command");
            return;
        }
        ExecTarget target;
        try {
            target = execTargets.find(path.namespace(), path.name(), path.query().get("container"));
        } catch (LogRequestException e) {
            refuse(request, e.code(), "BadRequest", e.getMessage());
            return;
        }
        boolean stdin = isTrue(path.query().get("stdin"));
        request.toWebSocket()
                .onSuccess(
                        ws -> {
                            if (!isChannelProtocol(ws)) {
                                ws.close((short) 1002, "no channel.k8s.io subprotocol agreed");
                                return;
                            }
                            new ExecSession(ws, target, command, stdin, threads, execProcesses)
                                    .start();
                        })
                .onFailure(err -> LOG.debug("exec upgrade of {} failed", request.uri(), err));
    }

    private void portForward(HttpServerRequest request, ApiPath path, Pod pod) {
        String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (podIp == null || !"Running".equals(pod.getStatus().getPhase())) {
            refuse(
                    request,
                    400,
                    "BadRequest",
                    "unable to forward ports: pod "
                            + path.name()
                            + " is not running (phase "
                            + (pod.getStatus() == null ? null : pod.getStatus().getPhase())
                            + ")");
            return;
        }
        List<Integer> ports = new ArrayList<>();
        for (String value : queryValues(request.uri(), "ports")) {
            for (String port : value.split(",")) {
                try {
                    ports.add(Integer.parseInt(port.trim()));
                } catch (NumberFormatException e) {
                    refuse(request, 400, "BadRequest", "invalid port \"" + port + "\"");
                    return;
                }
            }
        }
        request.toWebSocket()
                .onSuccess(
                        ws -> {
                            String protocol = ws.subProtocol();
                            if ("SPDY/3.1+portforward.k8s.io".equals(protocol)) {
                                new SpdyPortForward(ws, podIp, threads).start();
                            } else if (isChannelProtocol(ws) || protocol == null) {
                                if (ports.isEmpty()) {
                                    ws.close((short) 1002, "query parameter ports is required");
                                    return;
                                }
                                new ChannelPortForward(ws, podIp, ports, threads).start();
                            } else {
                                ws.close((short) 1002, "unsupported subprotocol " + protocol);
                            }
                        })
                .onFailure(
                        err -> LOG.debug("port-forward upgrade of {} failed", request.uri(), err));
    }

    private static boolean isChannelProtocol(ServerWebSocket ws) {
        String protocol = ws.subProtocol();
        return "v5.channel.k8s.io".equals(protocol) || "v4.channel.k8s.io".equals(protocol);
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
    }

    /** Every value of a query parameter, in order (ApiPath keeps only the first). */
    static List<String> queryValues(String uri, String name) {
        List<String> values = new ArrayList<>();
        int question = uri.indexOf('?');
        if (question < 0) {
            return values;
        }
        for (String pair : uri.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key =
                    URLDecoder.decode(
                            equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name) && equals >= 0) {
                values.add(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void refuse(HttpServerRequest request, int code, String reason, String message) {
        Status status =
                new StatusBuilder()
                        .withStatus("Failure")
                        .withCode(code)
                        .withReason(reason)
                        .withMessage(message)
                        .withNewMetadata()
                        .endMetadata()
                        .build();
        request.response()
                .setStatusCode(code)
                .putHeader("Content-Type", "application/json")
                .end(Serialization.asJson(status));
    }

    @Override
    public void close() {
        for (Process process : execProcesses) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        threads.shutdownNow();
    }
}
