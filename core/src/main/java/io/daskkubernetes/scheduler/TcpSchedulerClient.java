package io.daskkubernetes.scheduler;

import io.daskkubernetes.model.SchedulerLease;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchedulerClient} over Dask's own TCP comm protocol, for schedulers whose HTTP API is
 * off.
 *
 * <p>One connection, opened on first use and reused under a lock: Dask's comms answer one request
 * at a time. A broken connection is dropped and the next call opens a new one; a call that found
 * its reused connection closed (the scheduler restarted, or dropped an idle comm) is retried once
 * on a fresh one.
 */
public final class TcpSchedulerClient implements SchedulerClient {

    private static final Logger log = LoggerFactory.getLogger(TcpSchedulerClient.class);

    private final DaskAddress address;
    private final SchedulerTimeouts timeouts;
    private final long maxMessageBytes;

    /** The cluster's credentials when the address is {@code tls://}, else {@code null}. */
    private final DaskTls tls;

    private final ReentrantLock lock = new ReentrantLock();
    private DaskComm comm;
    private boolean closed;

    /** A client of the scheduler at {@code tcp://host:port} with the default 10 s timeouts. */
    public TcpSchedulerClient(String address) {
        this(address, SchedulerTimeouts.defaults());
    }

    public TcpSchedulerClient(String address, SchedulerTimeouts timeouts) {
        this(address, timeouts, DaskFrames.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * @param maxMessageBytes a reply announcing more bytes than this is refused as garbled
     */
    public TcpSchedulerClient(String address, SchedulerTimeouts timeouts, long maxMessageBytes) {
        this(address, timeouts, maxMessageBytes, null);
    }

    /**
     * A client of a scheduler at {@code tls://host:port}, with the cluster's credentials (a {@code
     * tcp://} address is spoken plainly even so).
     */
    public TcpSchedulerClient(String address, SchedulerTimeouts timeouts, DaskTls tls) {
        this(address, timeouts, DaskFrames.DEFAULT_MAX_MESSAGE_BYTES, tls);
    }

    private TcpSchedulerClient(
            String address, SchedulerTimeouts timeouts, long maxMessageBytes, DaskTls tls) {
        boolean tlsAddress = address != null && address.startsWith("tls://");
        if (tlsAddress && tls == null) {
            throw new IllegalArgumentException(
                    "scheduler address '"
                            + address
                            + "' is tls://: give the cluster's TLS credentials"
                            + " (new TcpSchedulerClient(address, timeouts, DaskTls)); only tcp:// is"
                            + " supported without them");
        }
        this.tls = tlsAddress ? tls : null;
        this.address = DaskAddress.parse(tlsAddress ? "tcp://" + address.substring(6) : address);
        this.timeouts = timeouts;
        if (maxMessageBytes < 64) {
            throw new IllegalArgumentException(
                    "maxMessageBytes " + maxMessageBytes + " is too small for any reply");
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The scheduler's address, as given. */
    public String address() {
        return tls == null ? address.toString() : "tls://" + address.toString().substring(6);
    }

    @Override
    public SchedulerInfo identity() {
        return IdentityParser.schedulerInfo(
                "identity", call("identity", Map.of(), timeouts.request()));
    }

    @Override
    public List<DaskWorker> workers() {
        return identity().workers();
    }

    @Override
    public Map<String, Map<String, String>> packageVersions() {
        Map<String, Map<String, String>> versions = new LinkedHashMap<>();
        versions.put("scheduler", packagesOf(call("versions", Map.of(), timeouts.request())));
        Object workers =
                call(
                        "broadcast",
                        Map.of("msg", Map.of("op", "versions"), "on_error", "ignore"),
                        timeouts.request());
        if (workers instanceof Map<?, ?> byAddress) {
            byAddress.forEach(
                    (address, reply) -> versions.put(String.valueOf(address), packagesOf(reply)));
        }
        return versions;
    }

    /**
     * {"packages": {name: version}} from a versions reply; versions may be null (not installed).
     */
    private static Map<String, String> packagesOf(Object reply) {
        Map<String, String> packages = new LinkedHashMap<>();
        if (reply instanceof Map<?, ?> map && map.get("packages") instanceof Map<?, ?> found) {
            found.forEach(
                    (name, version) ->
                            packages.put(
                                    String.valueOf(name),
                                    version == null ? null : String.valueOf(version)));
        }
        return packages;
    }

    @Override
    public int adaptiveTarget() {
        return DaskReplies.asInt(
                "adaptive_target", call("adaptive_target", Map.of(), timeouts.request()));
    }

    /**
     * The adaptive target for a chosen {@code target_duration} (how long the current work should
     * take); {@link #adaptiveTarget()} uses the scheduler's {@code
     * distributed.adaptive.target-duration}, 5 s by default.
     */
    @Override
    public int adaptiveTarget(Duration targetDuration) {
        if (targetDuration == null || targetDuration.isZero() || targetDuration.isNegative()) {
            throw new IllegalArgumentException(
                    "target duration must be positive, got " + targetDuration);
        }
        // parse_timedelta reads a bare number as seconds.
        Map<String, Object> kwargs = Map.of("target_duration", targetDuration.toNanos() / 1e9);
        return DaskReplies.asInt(
                "adaptive_target", call("adaptive_target", kwargs, timeouts.request()));
    }

    @Override
    public List<String> workersToClose(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot close a negative number of workers: " + n);
        }
        if (n == 0) {
            return List.of();
        }
        return DaskReplies.asStringList(
                "workers_to_close", call("workers_to_close", Map.of("n", n), timeouts.request()));
    }

    /** Retires with {@code close_workers=true}: each retired worker and its nanny then exit. */
    @Override
    public Map<String, DaskWorker> retireWorkers(Collection<String> addresses) {
        if (addresses.isEmpty()) {
            // Dask reads an empty list as "choose for me"; an empty request must retire nothing.
            return Map.of();
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("workers", new ArrayList<>(addresses));
        kwargs.put("close_workers", true);
        Object reply = call("retire_workers", kwargs, timeouts.retire());
        return IdentityParser.workersByAddress("retire_workers", reply);
    }

    /** Asks the scheduler to echo a word back. */
    /**
     * Tells the scheduler that its client holds the lease for {@code duration} more (the {@code
     * dask_kubernetes_lease} operation of {@link SchedulerLease}'s preload).
     *
     * @return false when the scheduler runs without that preload (it answers nothing)
     */
    public boolean renewLease(String holder, Duration duration) {
        Object reply =
                call(
                        SchedulerLease.RENEW_OP,
                        Map.of("duration", duration.toSeconds(), "holder", holder),
                        timeouts.request());
        return SchedulerLease.RENEWED.equals(reply);
    }

    @Override
    public boolean healthy() {
        try {
            Object reply = call("echo", Map.of("data", "ping"), timeouts.request());
            if ("ping".equals(reply)) {
                return true;
            }
            log.debug("{} answered echo with {}", address, MsgpackValues.describe(reply));
            return false;
        } catch (SchedulerException e) {
            log.debug("{} is not healthy: {}", address, e.getMessage());
            return false;
        }
    }

    @Override
    public String transportName() {
        return tls == null ? "tcp" : "tls";
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            dropComm();
        } finally {
            lock.unlock();
        }
    }

    private Object call(String op, Map<String, ?> kwargs, Duration timeout) {
        lock.lock();
        try {
            if (closed) {
                throw new SchedulerException(
                        "this client of " + address + " is closed; cannot send '" + op + "'");
            }
            boolean reused = comm != null;
            try {
                return DaskReplies.requireNoError(op, openComm().call(op, kwargs, timeout));
            } catch (SchedulerConnectionException e) {
                dropComm();
                // A timeout is the scheduler being slow, not a stale connection: retrying would
                // only double the wait.
                if (!reused || e.getCause() instanceof SocketTimeoutException) {
                    throw e;
                }
                log.debug(
                        "reused connection to {} failed ({}); retrying '{}' on a new one",
                        address,
                        e.getMessage(),
                        op);
                return DaskReplies.requireNoError(op, openComm().call(op, kwargs, timeout));
            }
        } catch (SchedulerConnectionException e) {
            dropComm();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private DaskComm openComm() {
        if (comm == null) {
            comm = DaskComm.open(address, timeouts, maxMessageBytes, tls);
            log.debug("connected to the Dask scheduler at {}", address);
        }
        return comm;
    }

    private void dropComm() {
        if (comm != null) {
            comm.close();
            comm = null;
        }
    }

    @Override
    public String toString() {
        return "TcpSchedulerClient[" + address() + "]";
    }
}
