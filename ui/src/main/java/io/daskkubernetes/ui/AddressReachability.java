package io.daskkubernetes.ui;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a Service's address routes to this machine: asked once per address by the sampler, which
 * forwards a port through the API server when the answer is no. It is a seam: a test on the local
 * runtime (whose cluster IPs do route from the host) replaces it to stand for a laptop.
 */
@FunctionalInterface
interface AddressReachability {

    /**
     * @param ports the ports to try; every one must route
     * @param timeout how long a connection may take before the address counts as unroutable
     */
    boolean routesHere(String host, List<Integer> ports, Duration timeout);

    /**
     * By TCP connections. An accepted or refused one routes here (kube-proxy refuses for a Service
     * without endpoints, the scheduler until it listens); a timeout or an unreachable network does
     * not (a cluster IP seen from a laptop).
     */
    static AddressReachability tcpConnect() {
        return TcpConnect::routesHere;
    }

    /** The TCP probe of {@link #tcpConnect()}. */
    final class TcpConnect {
        private static final Logger log = LoggerFactory.getLogger(TcpConnect.class);

        private TcpConnect() {}

        static boolean routesHere(String host, List<Integer> ports, Duration timeout) {
            for (int port : ports) {
                if (!routesHere(host, port, timeout)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean routesHere(String host, int port, Duration timeout) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                return true;
            } catch (ConnectException e) {
                // "Connection refused" routes here; "Network is unreachable"/"No route to host" do
                // not.
                log.debug("{}:{}: {}", host, port, e.getMessage());
                return String.valueOf(e.getMessage()).contains("refused");
            } catch (IOException e) {
                log.debug("{}:{} does not route here: {}", host, port, e.toString());
                return false;
            }
        }
    }
}
