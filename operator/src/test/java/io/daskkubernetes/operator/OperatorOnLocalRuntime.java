package io.daskkubernetes.operator;

import io.daskkubernetes.local.LocalKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The fixture of the operator's end-to-end tests: the local runtime, the operator running in this
 * JVM against it (CRDs installed), and the real kubectl with its discovery and OpenAPI cache filled
 * once, untimed. Closing it stops the operator, then the runtime (which removes every pod process
 * and network namespace).
 */
final class OperatorOnLocalRuntime implements AutoCloseable {

    /** Upstream's manifests, unchanged. */
    static final Path MANIFESTS = Path.of("..", "examples", "operator");

    private final LocalKubernetes local;
    private final DaskOperator operator;
    private final Kubectl kubectl;

    private OperatorOnLocalRuntime(LocalKubernetes local, DaskOperator operator, Kubectl kubectl) {
        this.local = local;
        this.operator = operator;
        this.kubectl = kubectl;
    }

    static OperatorOnLocalRuntime start() {
        return start(OperatorSettings.watching(Set.of()).installingCrds(true));
    }

    /** As {@link #start()}, the operator started with {@code settings} (a metrics registry...). */
    static OperatorOnLocalRuntime start(OperatorSettings settings) {
        LocalKubernetes local = LocalKubernetes.builder().start();
        DaskOperator operator = null;
        try {
            operator = DaskOperator.start(local.client(), settings);
            Kubectl kubectl = new Kubectl(local.kubeconfig());
            // kubectl's first apply fetches discovery and the OpenAPI documents to validate
            // against; on busy cores that takes tens of seconds, which are not the operator's
            kubectl.warmUp(MANIFESTS.resolve("simplecluster.yaml"));
            return new OperatorOnLocalRuntime(local, operator, kubectl);
        } catch (RuntimeException | AssertionError e) {
            try {
                if (operator != null) {
                    operator.close();
                }
            } finally {
                local.close();
            }
            throw e;
        }
    }

    Kubectl kubectl() {
        return kubectl;
    }

    KubernetesClient client() {
        return local.client();
    }

    /** Upstream's manifest {@code file} as text. */
    static String upstream(String file) {
        try {
            return Files.readString(MANIFESTS.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code yaml} to a file in {@code dir} and applies it with kubectl. */
    String apply(Path dir, String fileName, String yaml) {
        try {
            Path file = Files.writeString(dir.resolve(fileName), yaml);
            return kubectl.run("apply", "-f", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Events about the object named {@code name}, one {@code reason: message} a line, as {@code
     * kubectl describe} would list them.
     */
    String events(String name) {
        return kubectl.run(
                "get",
                "events",
                "-o",
                "jsonpath={range .items[?(@.involvedObject.name==\""
                        + name
                        + "\")]}{.reason}: {.message}{\"\\n\"}{end}");
    }

    /** Whether {@code kubectl get kind name} finds it. */
    boolean exists(String kind, String name) {
        return !kubectl.run("get", kind, name, "--ignore-not-found", "-o", "name").isEmpty();
    }

    @Override
    public void close() {
        try {
            operator.close();
        } finally {
            local.close();
        }
    }
}
