package io.daskkubernetes.local.api;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * Serves {@code GET .../pods/{name}/log}: the mock would answer with its whole object store; a real
 * API server asks the kubelet, and so do we, through a {@link ContainerLogSource}.
 */
public final class PodLogEndpoint {

    private final ObjectStore store;
    private volatile ContainerLogSource source = ContainerLogSource.NONE;

    public PodLogEndpoint(ObjectStore store) {
        this.store = store;
    }

    public void serveLogsFrom(ContainerLogSource source) {
        this.source = source;
    }

    /**
     * The log a request refers to; throws {@link LogRequestException} (404 for a missing pod, 400
     * otherwise).
     */
    public ContainerLogSource.ContainerLog locate(PodLogRequest request) {
        String podPath = ApiPath.objectPath("v1", "pods", request.namespace(), request.pod());
        if (store.getJson(podPath).isEmpty()) {
            throw new LogRequestException(404, "pods \"" + request.pod() + "\" not found");
        }
        return source.find(
                request.namespace(), request.pod(), request.container(), request.previous());
    }

    /** The answer to a request that does not follow. */
    public MockResponse answer(PodLogRequest request) {
        try {
            ContainerLogSource.ContainerLog log = locate(request);
            return new MockResponse()
                    .setResponseCode(200)
                    .setHeader("Content-Type", "text/plain")
                    .setBody(request.read(log.file()));
        } catch (LogRequestException e) {
            return ApiResponses.status(
                    e.code(), e.code() == 404 ? "NotFound" : "BadRequest", e.getMessage());
        }
    }
}
