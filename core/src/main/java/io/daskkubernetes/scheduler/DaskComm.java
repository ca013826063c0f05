package io.daskkubernetes.scheduler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open TCP comm to a Dask server, after the handshake of distributed/comm/core.py: the server
 * speaks first with its handshake map, we answer with ours, then each request {@code {"op": ...,
 * "reply": true, ...}} gets exactly one reply message. Not thread safe: callers hold one comm per
 * conversation.
 */
final class DaskComm implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DaskComm.class);

    /** The newest pickle protocol we claim; we never unpickle, but Dask requires the key. */
    private static final long PICKLE_PROTOCOL = 5;

    private final DaskAddress address;
    private final Socket socket;
    private final DeadlineInputStream in;
    private final OutputStream out;
    private final long maxMessageBytes;

    private DaskComm(DaskAddress address, Socket socket, long maxMessageBytes) throws IOException {
        this.address = address;
        this.socket = socket;
        this.in = new DeadlineInputStream(socket);
        this.out = socket.getOutputStream();
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Connects and shakes hands, both within {@code timeouts.connect()}. */
    static DaskComm open(DaskAddress address, SchedulerTimeouts timeouts, long maxMessageBytes) {
        return open(address, timeouts, maxMessageBytes, null);
    }

    /**
     * Connects, over TLS when {@code tls} is given (Dask's {@code tls://}: the TLS handshake, then
     * the same frames), and shakes hands, all within {@code timeouts.connect()}.
     */
    static DaskComm open(
            DaskAddress address, SchedulerTimeouts timeouts, long maxMessageBytes, DaskTls tls) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address.socketAddress(), millis(timeouts.connect()));
        } catch (IOException e) {
            closeQuietly(socket, e);
            throw new SchedulerConnectionException(
                    "cannot connect to the Dask scheduler at "
                            + address
                            + " within "
                            + timeouts.connect().toMillis()
                            + " ms: "
                            + e,
                    e);
        }
        if (tls != null) {
            socket = TlsHandshake.wrap(socket, address, tls, timeouts.connect());
        }
        try {
            DaskComm comm = new DaskComm(address, socket, maxMessageBytes);
            comm.handshake(timeouts.connect());
            return comm;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket, e);
            if (e instanceof SchedulerException known) {
                throw known;
            }
            throw new SchedulerConnectionException(
                    "handshake with " + address + " failed: " + e, e);
        }
    }

    private void handshake(Duration timeout) throws IOException {
        Object theirs =
                readMessage(timeout, "Dask's handshake (is " + address + " a Dask comm port?)");
        if (!(theirs instanceof Map<?, ?> map) || !map.containsKey("pickle-protocol")) {
            throw new SchedulerConnectionException(
                    "expected Dask's handshake map with 'pickle-protocol' from "
                            + address
                            + ", got "
                            + MsgpackValues.describe(theirs));
        }
        Map<String, Object> ours = new LinkedHashMap<>();
        // nil compression: the server then sends everything uncompressed (comm/core.py
        // handshake_configuration).
        ours.put("compression", null);
        // Informational only on the server side; echoing theirs avoids claiming a Python we are
        // not.
        ours.put("python", map.get("python"));
        ours.put(
                "pickle-protocol",
                Math.min(PICKLE_PROTOCOL, toLong(map.get("pickle-protocol"), PICKLE_PROTOCOL)));
        writeMessage(ours);
    }

    /**
     * Sends {@code {"op": op, "reply": true, ...kwargs}} and returns the decoded reply, within
     * {@code timeout}.
     */
    Object call(String op, Map<String, ?> kwargs, Duration timeout) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", op);
        request.put("reply", true);
        request.putAll(kwargs);
        try {
            writeMessage(request);
            return readMessage(timeout, "the reply to '" + op + "'");
        } catch (IOException e) {
            throw new SchedulerConnectionException(
                    "lost the connection to " + address + " during '" + op + "': " + e, e);
        }
    }

    private void writeMessage(Map<String, Object> message) throws IOException {
        DaskFrames.write(out, List.of(MsgpackValues.pack(message)));
    }

    private Object readMessage(Duration timeout, String expected) throws IOException {
        in.startDeadline(timeout.toMillis());
        List<byte[]> frames;
        try {
            frames = DaskFrames.read(in, maxMessageBytes);
        } catch (SocketTimeoutException e) {
            throw new SchedulerConnectionException(
                    "timed out after "
                            + timeout.toMillis()
                            + " ms waiting for "
                            + expected
                            + " from "
                            + address,
                    e);
        } catch (SchedulerConnectionException e) {
            throw new SchedulerConnectionException(
                    "while waiting for " + expected + " from " + address + ": " + e.getMessage(),
                    e);
        }
        // Frames after the first hold pickled payloads (exceptions, tracebacks) that the JVM cannot
        // use.
        try {
            return MsgpackValues.unpack(frames.get(0));
        } catch (SchedulerConnectionException e) {
            throw new SchedulerConnectionException(
                    "while reading " + expected + " from " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Says goodbye as Dask does ({@code {"op": "close", "reply": false}}), then closes the socket.
     */
    @Override
    public void close() {
        if (socket.isClosed()) {
            return;
        }
        try {
            writeMessage(new LinkedHashMap<>(Map.of("op", "close", "reply", false)));
        } catch (IOException | RuntimeException e) {
            // The peer may already be gone; the socket is closed below either way.
            log.debug("could not say goodbye to {}: {}", address, e.toString());
        }
        closeQuietly(socket, null);
    }

    boolean isOpen() {
        return !socket.isClosed();
    }

    DaskAddress address() {
        return address;
    }

    private static void closeQuietly(Socket socket, Exception reason) {
        try {
            socket.close();
        } catch (IOException e) {
            if (reason != null) {
                reason.addSuppressed(e);
            } else {
                log.debug("closing a socket failed: {}", e.toString());
            }
        }
    }

    private static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    private static long toLong(Object value, long fallback) {
        return value instanceof Number number ? number.longValue() : fallback;
    }
}
