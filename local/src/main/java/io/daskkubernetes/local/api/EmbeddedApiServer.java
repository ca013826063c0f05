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

  private EmbeddedApiServer(ObjectStore store, PodLogEndpoint podLogs, ApiServer server) {
    this.store = store;
    this.podLogs = podLogs;
    this.server = server;
  }

  public static EmbeddedApiServer start(ClusterIpAllocator clusterIps) {
    ObjectStore store = new ObjectStore();
    PodLogEndpoint podLogs = new PodLogEndpoint(store);
    // Discovery needs the address before the port is known; kubectl ignores it for a single server.
    Discovery discovery = new Discovery(store, HOST + ":443");
    ApiDispatcher dispatcher = new ApiDispatcher(store, discovery, podLogs,
        new PodDeletion(store, Clock.systemUTC()), new ServiceAdmission(clusterIps));
    return new EmbeddedApiServer(store, podLogs, ApiServer.start(dispatcher, podLogs, HOST));
  }

  public String url() {
    return "http://" + HOST + ":" + server.port();
  }

  public ObjectStore store() {
    return store;
  }

  /** Where {@code pods/log} requests find container output (the kubelet). */
  public void serveLogsFrom(ContainerLogSource source) {
    podLogs.serveLogsFrom(source);
  }

  @Override
  public void close() {
    server.close();
  }
}
