package io.daskkubernetes.operator;

import io.daskkubernetes.local.LocalKubernetes;
import java.nio.file.Path;

/**
 * The local runtime with the operator running in this JVM, and kubectl pointed at it with its
 * discovery and OpenAPI cache filled: what the operator's end-to-end tests start with. Closing
 * stops the operator, then the runtime (its pods' processes and namespaces with it).
 */
final class OperatorOnLocalRuntime implements AutoCloseable {

    static final Path MANIFESTS = Path.of("..", "examples", "operator");

    private final LocalKubernetes local;
    private final DaskOperator operator;
    private final Kubectl kubectl;

    private OperatorOnLocalRuntime(LocalKubernetes local, DaskOperator operator, Kubectl kubectl) {
        this.local = local;
        this.operator = operator;
        this.kubectl = kubectl;
    }

    /** Starts both, the operator installing the CRDs and watching every namespace. */
    static OperatorOnLocalRuntime start() {
        return start(OperatorSettings.watching(java.util.Set.of()).installingCrds(true));
    }

    static OperatorOnLocalRuntime start(OperatorSettings settings) {
        LocalKubernetes local = LocalKubernetes.builder().start();
        DaskOperator operator = null;
        try {
            operator = DaskOperator.start(local.client(), settings);
            Kubectl kubectl = new Kubectl(local.kubeconfig());
            // kubectl's first apply fetches discovery and the OpenAPI documents to validate
            // against; on busy cores that takes tens of seconds, which are not the operator's:
            // done here, once
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

    LocalKubernetes local() {
        return local;
    }

    DaskOperator operator() {
        return operator;
    }

    Kubectl kubectl() {
        return kubectl;
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
