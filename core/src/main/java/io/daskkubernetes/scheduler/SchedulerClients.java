package io.daskkubernetes.scheduler;

import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses how to talk to a scheduler: its HTTP API when it answers, else Dask's TCP protocol. */
public final class SchedulerClients {

    private static final Logger log = LoggerFactory.getLogger(SchedulerClients.class);

    private SchedulerClients() {}

    /**
     * A client of a running scheduler. HTTP is used when {@code /health} and {@code
     * /api/v1/adaptive_target} both answer at {@code dashboard} (a scheduler whose dashboard is up
     * but whose API route is off answers only the first); otherwise TCP. Call it once the scheduler
     * is up: the choice is made now and logged once.
     *
     * @param tcpAddress the scheduler's comm address, {@code tcp://host:port}
     * @param dashboard its HTTP server, {@code http://host:8787}, or {@code null} to use TCP
     * @param timeout for connecting and for each question (retiring gets at least 60 s)
     * @throws SchedulerConnectionException if neither transport answers
     */
    public static SchedulerClient connect(String tcpAddress, URI dashboard, Duration timeout) {
        SchedulerTimeouts timeouts = SchedulerTimeouts.of(timeout);
        TcpSchedulerClient tcp = new TcpSchedulerClient(tcpAddress, timeouts);
        String httpProblem = "no dashboard address given";
        if (dashboard != null) {
            HttpSchedulerClient http = new HttpSchedulerClient(dashboard, tcpAddress, timeouts);
            httpProblem = httpProblem(http);
            if (httpProblem == null) {
                tcp.close();
                log.info(
                        "talking to the Dask scheduler {} through its HTTP API at {}",
                        tcpAddress,
                        dashboard);
                return http;
            }
            http.close();
        }
        if (!tcp.healthy()) {
            tcp.close();
            throw new SchedulerConnectionException(
                    "the Dask scheduler answers neither over HTTP ("
                            + httpProblem
                            + ") nor over TCP at "
                            + tcpAddress);
        }
        log.info(
                "talking to the Dask scheduler {} through Dask's TCP protocol ({})",
                tcpAddress,
                httpProblem);
        return tcp;
    }

    /**
     * A client of a scheduler at {@code tls://host:port}, which only Dask's protocol over TLS with
     * the cluster's credentials reaches: the HTTP API is not asked (it is unauthenticated, and a
     * TLS cluster runs without it). A {@code tcp://} address or no credentials: as {@link
     * #connect(String, URI, Duration)}.
     *
     * @throws SchedulerConnectionException if the scheduler does not answer
     */
    public static SchedulerClient connect(
            String address, URI dashboard, Duration timeout, DaskTls tls) {
        if (tls == null || !address.startsWith("tls://")) {
            return connect(address, dashboard, timeout);
        }
        TcpSchedulerClient client =
                new TcpSchedulerClient(address, SchedulerTimeouts.of(timeout), tls);
        try {
            client.identity();
        } catch (SchedulerException e) {
            client.close();
            throw new SchedulerConnectionException(
                    "the Dask scheduler does not answer over TLS at "
                            + address
                            + ": "
                            + e.getMessage(),
                    e);
        }
        log.info("talking to the Dask scheduler {} through Dask's protocol over TLS", address);
        return client;
    }

    /** Why the HTTP API cannot serve us, or {@code null} when it can. */
    private static String httpProblem(HttpSchedulerClient http) {
        if (!http.healthy()) {
            return http.dashboard() + "/health does not answer ok";
        }
        try {
            http.adaptiveTarget();
            return null;
        } catch (SchedulerException e) {
            return "its HTTP API is off: " + e.getMessage();
        }
    }
}
