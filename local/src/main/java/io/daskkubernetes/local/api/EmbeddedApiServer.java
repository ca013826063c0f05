package io.daskkubernetes.local.api;

import java.time.Clock;

/**
 * A Kubernetes API server in this JVM: the object store, our request pipeline and the HTTP server,
 * wired together and listening on a loopback port.
 */
public final class EmbeddedApiServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final ObjectStore store;
    private final PodLogEndpoint podLogs;
    private final ApiServer server;
    private final ApiDispatcher dispatcher;

    private final ApiCredentials credentials;

    private EmbeddedApiServer(
            ObjectStore store,
            PodLogEndpoint podLogs,
            ApiServer server,
            ApiDispatcher dispatcher,
            ApiCredentials credentials) {
        this.credentials = credentials;
        this.store = store;
        this.podLogs = podLogs;
        this.server = server;
        this.dispatcher = dispatcher;
    }

    public static EmbeddedApiServer start(ClusterIpAllocator clusterIps) {
        return start(clusterIps, HOST, WatchHistory.DEFAULT_CHANGES_PER_TYPE);
    }

    /**
     * Also serving at {@code nodeIp}, where pods reach it as the endpoint of the {@code kubernetes}
     * Service; its certificate names that address, the Service's cluster IP and DNS names too.
     */
    public static EmbeddedApiServer start(ClusterIpAllocator clusterIps, String nodeIp) {
        return start(clusterIps, nodeIp, WatchHistory.DEFAULT_CHANGES_PER_TYPE);
    }

    static EmbeddedApiServer start(ClusterIpAllocator clusterIps, int watchHistoryPerType) {
        return start(clusterIps, HOST, watchHistoryPerType);
    }

    /**
     * @param watchHistoryPerType how many recent changes of each resource type watches can resume
     *     from
     */
    private static EmbeddedApiServer start(
            ClusterIpAllocator clusterIps, String nodeIp, int watchHistoryPerType) {
        ObjectStore store = new ObjectStore(watchHistoryPerType);
        PodLogEndpoint podLogs = new PodLogEndpoint(store);
        // Discovery needs the address before the port is known; kubectl ignores it for a single
        // server.
        Discovery discovery = new Discovery(store, HOST + ":443");
        ApiDispatcher dispatcher =
                new ApiDispatcher(
                        store,
                        discovery,
                        podLogs,
                        new PodDeletion(store, Clock.systemUTC()),
                        new ServiceAdmission(clusterIps));
        ApiCredentials credentials =
                ApiCredentials.generate(
                        java.util.List.of(HOST, nodeIp, clusterIps.kubernetesServiceIp()),
                        KubernetesService.DNS_NAMES);
        ApiServer server = ApiServer.start(dispatcher, podLogs, HOST, credentials);
        if (!nodeIp.equals(HOST)) {
            server.alsoListenOn(nodeIp);
        }
        return new EmbeddedApiServer(store, podLogs, server, dispatcher, credentials);
    }

    /** Tells {@code observer} of every authenticated request, before it is served. */
    public void observeRequestsWith(java.util.function.Consumer<ApiRequest> observer) {
        server.observeRequestsWith(observer);
    }

    public String url() {
        return "https://" + HOST + ":" + server.port();
    }

    public int port() {
        return server.port();
    }

    /** The token and CA a client needs: every request without the token gets 401. */
    public ApiCredentials credentials() {
        return credentials;
    }

    /**
     * A fabric8 configuration that reaches this server (its URL, CA and token) and nothing from
     * ~/.kube/config or KUBERNETES_* variables; its namespace is {@code namespace}.
     */
    public io.fabric8.kubernetes.client.Config clientConfig(String namespace) {
        return new io.fabric8.kubernetes.client.ConfigBuilder(
                        io.fabric8.kubernetes.client.Config.empty())
                .withMasterUrl(url())
                .withCaCertData(
                        java.util.Base64.getEncoder()
                                .encodeToString(
                                        credentials
                                                .certificateAuthorityPem()
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .withOauthToken(credentials.bearerToken())
                .withNamespace(namespace)
                .withRequestTimeout(30_000)
                .build();
    }

    public ObjectStore store() {
        return store;
    }

    /**
     * Deletes an object as a client's DELETE would (pods terminate gracefully); for in-process
     * controllers.
     */
    public void delete(String objectPath) {
        dispatcher.dispatch(
                ObjectStore.request(
                        io.fabric8.mockwebserver.dsl.HttpMethod.DELETE, objectPath, null, null));
    }

    /** Calls {@code listener} after every deletion request, for the garbage collector. */
    public void onDeletion(Runnable listener) {
        dispatcher.onDeletion(listener);
    }

    /** Where {@code pods/log} requests find container output (the kubelet). */
    public void serveLogsFrom(ContainerLogSource source) {
        podLogs.serveLogsFrom(source);
    }

    /** Where exec, attach and port-forward requests go (the kubelet's streams). */
    public void serveStreamsWith(StreamingEndpoint endpoint) {
        server.serveStreamsWith(endpoint);
    }

    @Override
    public void close() {
        server.close();
    }
}
