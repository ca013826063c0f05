package io.daskkubernetes.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Where this process reaches a scheduler: its Dask address and its dashboard, and what must stay
 * open for them to work (port-forwards), closed with the cluster.
 *
 * @param host the host this process connects to
 * @param port the scheduler's comm port as seen from here
 * @param dashboardPort the dashboard's port as seen from here
 * @param how a few words for logs: "cluster IP", "port-forward", ...
 */
public record SchedulerEndpoint(
        String host, int port, int dashboardPort, String how, List<Closeable> keepOpen)
        implements Closeable {

    public SchedulerEndpoint {
        keepOpen = List.copyOf(keepOpen);
    }

    static SchedulerEndpoint direct(String host, int port, int dashboardPort, String how) {
        return new SchedulerEndpoint(host, port, dashboardPort, how, List.of());
    }

    public String tcpAddress() {
        return "tcp://" + hostForUri() + ":" + port;
    }

    public String dashboardBase() {
        return "http://" + hostForUri() + ":" + dashboardPort;
    }

    private String hostForUri() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Closeable closeable : keepOpen) {
            try {
                closeable.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
