package io.daskkubernetes.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a Service's address leads to the scheduler from here, asked while the scheduler may still
 * be starting. A refused connection means the address routes here and nothing listens yet (kube-
 * proxy refuses for a Service without endpoints; the scheduler refuses until it listens): try again
 * shortly. A timeout or an unreachable network means it does not route from here (a cluster IP seen
 * from a laptop): no point in waiting.
 */
final class ServiceAddressProbe {

    private static final Logger log = LoggerFactory.getLogger(ServiceAddressProbe.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;
    private static final long RETRY_MILLIS = 50;
    private static final long FAILURE_CHECK_MILLIS = 500;

    private final String host;
    private final List<Integer> ports;

    ServiceAddressProbe(String host, List<Integer> ports) {
        this.host = host;
        this.ports = List.copyOf(ports);
    }

    /**
     * True once every port accepts a connection, false as soon as the address proves unroutable or
     * when {@code wait} passes with connections still refused.
     *
     * @param failIfSchedulerFailed called now and then while refused; throws when the scheduler
     *     will never listen, so that its failure is reported rather than waited out
     */
    boolean answersWithin(Duration wait, Runnable failIfSchedulerFailed) {
        long deadline = System.nanoTime() + wait.toNanos();
        long nextFailureCheck = System.nanoTime() + millisToNanos(FAILURE_CHECK_MILLIS);
        while (true) {
            Answer answer = probeAll();
            if (answer == Answer.ACCEPTED) {
                return true;
            }
            if (answer == Answer.UNROUTABLE) {
                return false;
            }
            long now = System.nanoTime();
            if (now - deadline > 0) {
                log.warn(
                        "{} still refused connections to ports {} after {} s",
                        host,
                        ports,
                        wait.toSeconds());
                return false;
            }
            if (now - nextFailureCheck > 0) {
                failIfSchedulerFailed.run();
                nextFailureCheck = now + millisToNanos(FAILURE_CHECK_MILLIS);
            }
            pause();
        }
    }

    private enum Answer {
        ACCEPTED,
        REFUSED,
        UNROUTABLE
    }

    private Answer probeAll() {
        for (int port : ports) {
            Answer answer = probe(port);
            if (answer != Answer.ACCEPTED) {
                return answer;
            }
        }
        return Answer.ACCEPTED;
    }

    private Answer probe(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            return Answer.ACCEPTED;
        } catch (ConnectException e) {
            // "Connection refused" routes here; "Network is unreachable"/"No route to host" do not.
            boolean refused = String.valueOf(e.getMessage()).contains("refused");
            log.debug("{}:{}: {}", host, port, e.getMessage());
            return refused ? Answer.REFUSED : Answer.UNROUTABLE;
        } catch (IOException e) {
            log.debug("{}:{} is not reachable from here: {}", host, port, e.toString());
            return Answer.UNROUTABLE;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for the scheduler to answer", e);
        }
    }

    private static long millisToNanos(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
