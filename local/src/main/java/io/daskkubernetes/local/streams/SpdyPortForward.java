package io.daskkubernetes.local.streams;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.DataFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kubectl's port-forward: SPDY/3.1 frames tunnelled through a WebSocket's binary messages (the
 * {@code SPDY/3.1+portforward.k8s.io} subprotocol). For each local connection kubectl opens two
 * streams with headers {@code streamType} (error or data), {@code port} and {@code requestID}; we
 * reply to each, connect the data stream to the pod's port and relay. A connection the pod refuses
 * is reported on the error stream. When either side is done, both streams are finished (FIN), as
 * the kubelet does, so that kubectl closes the local connection.
 *
 * <p>Only what client-go's spdystream sends is handled: SYN_STREAM, DATA, RST_STREAM, PING, GOAWAY;
 * SETTINGS and WINDOW_UPDATE are ignored (spdystream does no flow control).
 */
final class SpdyPortForward {

    private static final Logger LOG = LoggerFactory.getLogger(SpdyPortForward.class);
    private static final int VERSION = 3;
    private static final int SYN_STREAM = 1;
    private static final int SYN_REPLY = 2;
    private static final int RST_STREAM = 3;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int FLAG_FIN = 0x01;
    private static final int MAX_DATA = 32 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final ServerWebSocket ws;
    private final String podIp;
    private final ExecutorService threads;
    private final SpdyHeaders headers = new SpdyHeaders();
    private final Object writeLock = new Object();
    private Buffer pending = Buffer.buffer();
    private final Map<String, Forward> byRequest = new ConcurrentHashMap<>();
    private final Map<Integer, Forward> byStream = new ConcurrentHashMap<>();
    private final ExecutorService podWriter =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread thread = new Thread(r, "port-forward-spdy-write");
                        thread.setDaemon(true);
                        return thread;
                    });
    private volatile boolean closed;

    /** One forwarded connection: kubectl's pair of streams and the socket to the pod. */
    private final class Forward {
        final String requestId;
        int port;
        Integer errorStream;
        Integer dataStream;
        volatile Socket socket;
        volatile boolean finished;

        Forward(String requestId) {
            this.requestId = requestId;
        }
    }

    SpdyPortForward(ServerWebSocket ws, String podIp, ExecutorService threads) {
        this.ws = ws;
        this.podIp = podIp;
        this.threads = threads;
    }

    void start() {
        ws.binaryMessageHandler(this::received);
        ws.closeHandler(v -> closeAll());
    }

    /** Called on the event loop with each WebSocket message: a piece of the SPDY byte stream. */
    private void received(Buffer message) {
        pending.appendBuffer(message);
        int offset = 0;
        while (pending.length() - offset >= 8) {
            int length = pending.getUnsignedMedium(offset + 5);
            if (pending.length() - offset < 8 + length) {
                break;
            }
            Buffer frame = pending.getBuffer(offset, offset + 8 + length);
            offset += 8 + length;
            try {
                handle(frame);
            } catch (RuntimeException | DataFormatException e) {
                LOG.warn("port-forward: bad SPDY frame; closing", e);
                ws.close((short) 1002, "protocol error");
                closeAll();
                return;
            }
        }
        pending = pending.getBuffer(offset, pending.length());
    }

    private void handle(Buffer frame) throws DataFormatException {
        int flags = frame.getUnsignedByte(4);
        int length = frame.getUnsignedMedium(5);
        boolean control = (frame.getUnsignedByte(0) & 0x80) != 0;
        if (!control) {
            int streamId = frame.getInt(0) & 0x7fffffff;
            onData(streamId, frame.getBytes(8, 8 + length), (flags & FLAG_FIN) != 0);
            return;
        }
        int type = frame.getUnsignedShort(2);
        switch (type) {
            case SYN_STREAM -> {
                int streamId = frame.getInt(8) & 0x7fffffff;
                Map<String, String> values = headers.decode(frame.getBytes(18, 8 + length));
                onSynStream(streamId, values, (flags & FLAG_FIN) != 0);
            }
            case RST_STREAM -> {
                Forward forward = byStream.get(frame.getInt(8) & 0x7fffffff);
                if (forward != null) {
                    finish(forward, null);
                }
            }
            case PING -> write(frame.copy());
            case GOAWAY -> {
                ws.close((short) 1000);
                closeAll();
            }
            default -> {
                // SETTINGS, WINDOW_UPDATE, HEADERS, NOOP: nothing to do.
            }
        }
    }

    private void onSynStream(int streamId, Map<String, String> values, boolean fin) {
        String type = values.getOrDefault("streamtype", "");
        String requestId = values.getOrDefault("requestid", String.valueOf(streamId));
        Forward forward = byRequest.computeIfAbsent(requestId, Forward::new);
        byStream.put(streamId, forward);
        try {
            forward.port = Integer.parseInt(values.getOrDefault("port", ""));
        } catch (NumberFormatException e) {
            reply(streamId);
            data(
                    streamId,
                    ("invalid port " + values.get("port")).getBytes(StandardCharsets.UTF_8),
                    true);
            return;
        }
        reply(streamId);
        if ("error".equals(type)) {
            forward.errorStream = streamId;
        } else if ("data".equals(type)) {
            forward.dataStream = streamId;
            threads.execute(() -> connect(forward));
        }
    }

    private void connect(Forward forward) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(podIp, forward.port), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to release
            }
            finish(
                    forward,
                    "error forwarding port "
                            + forward.port
                            + " to pod "
                            + podIp
                            + ", uid : failed to connect to "
                            + podIp
                            + ":"
                            + forward.port
                            + ": "
                            + e.getMessage());
            return;
        }
        forward.socket = socket;
        byte[] buffer = new byte[MAX_DATA];
        try {
            InputStream in = socket.getInputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (read > 0) {
                    byte[] chunk = java.util.Arrays.copyOf(buffer, read);
                    data(forward.dataStream, chunk, false);
                }
            }
        } catch (IOException e) {
            LOG.debug("port-forward read from the pod ended: {}", e.getMessage());
        }
        finish(forward, null);
    }

    private void onData(int streamId, byte[] data, boolean fin) {
        Forward forward = byStream.get(streamId);
        if (forward == null || forward.dataStream == null || forward.dataStream != streamId) {
            return; // the error stream's half-close, or a stream already gone
        }
        if (podWriter.isShutdown()) {
            return;
        }
        podWriter.execute(
                () -> {
                    Socket socket = awaitSocket(forward);
                    if (socket == null) {
                        return;
                    }
                    try {
                        if (data.length > 0) {
                            socket.getOutputStream().write(data);
                        }
                        if (fin) {
                            socket.shutdownOutput();
                        }
                    } catch (IOException e) {
                        LOG.debug("port-forward write to the pod failed: {}", e.getMessage());
                        finish(forward, null);
                    }
                });
    }

    /** The data may come before the connection to the pod is made. */
    private static Socket awaitSocket(Forward forward) {
        long deadline = System.currentTimeMillis() + CONNECT_TIMEOUT_MILLIS + 1000;
        while (forward.socket == null && !forward.finished) {
            if (System.currentTimeMillis() > deadline) {
                return null;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return forward.finished ? null : forward.socket;
    }

    /** Ends a forwarded connection: an error (if any) on the error stream, FIN on both. */
    private void finish(Forward forward, String error) {
        synchronized (forward) {
            if (forward.finished) {
                return;
            }
            forward.finished = true;
        }
        if (forward.errorStream != null) {
            if (error != null) {
                data(forward.errorStream, error.getBytes(StandardCharsets.UTF_8), false);
            }
            data(forward.errorStream, new byte[0], true);
        }
        if (forward.dataStream != null) {
            data(forward.dataStream, new byte[0], true);
        }
        Socket socket = forward.socket;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing a forwarded connection failed", e);
            }
        }
        byRequest.remove(forward.requestId, forward);
        if (forward.errorStream != null) {
            byStream.remove(forward.errorStream);
        }
        if (forward.dataStream != null) {
            byStream.remove(forward.dataStream);
        }
    }

    private void reply(int streamId) {
        synchronized (writeLock) {
            byte[] block = headers.encode(Map.of());
            Buffer frame = controlHeader(SYN_REPLY, 0, 4 + block.length);
            frame.appendInt(streamId & 0x7fffffff);
            frame.appendBytes(block);
            send(frame);
        }
    }

    private void data(int streamId, byte[] data, boolean fin) {
        int offset = 0;
        do {
            int length = Math.min(MAX_DATA, data.length - offset);
            boolean last = offset + length >= data.length;
            Buffer frame = Buffer.buffer(8 + length);
            frame.appendInt(streamId & 0x7fffffff);
            frame.appendByte((byte) (last && fin ? FLAG_FIN : 0));
            frame.appendMedium(length);
            frame.appendBytes(data, offset, length);
            write(frame);
            offset += length;
        } while (offset < data.length);
    }

    private static Buffer controlHeader(int type, int flags, int length) {
        Buffer frame = Buffer.buffer(8 + length);
        frame.appendShort((short) (0x8000 | VERSION));
        frame.appendShort((short) type);
        frame.appendByte((byte) flags);
        frame.appendMedium(length);
        return frame;
    }

    private void write(Buffer frame) {
        synchronized (writeLock) {
            send(frame);
        }
    }

    private void send(Buffer frame) {
        if (closed) {
            return;
        }
        try {
            ws.writeBinaryMessage(frame);
        } catch (IllegalStateException e) {
            closeAll();
        }
    }

    private void closeAll() {
        if (closed) {
            return;
        }
        closed = true;
        podWriter.shutdownNow();
        for (Forward forward : byRequest.values()) {
            Socket socket = forward.socket;
            forward.finished = true;
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    LOG.debug("closing a forwarded connection failed", e);
                }
            }
        }
        synchronized (writeLock) {
            headers.close();
        }
    }
}
