package io.daskkubernetes.local.streams;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port-forward with the channel protocol (what fabric8 and the Python client speak): for the i-th
 * port of {@code ?ports=}, channel 2i carries data and 2i+1 errors; each channel's first message is
 * the port number (2 bytes, little-endian). One connection to the pod per port, for the life of the
 * WebSocket; when the pod closes it, the WebSocket closes.
 */
final class ChannelPortForward {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelPortForward.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final ServerWebSocket ws;
    private final String podIp;
    private final List<Integer> ports;
    private final ExecutorService threads;
    private final List<Socket> sockets = new ArrayList<>();
    private final ExecutorService writer =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread thread = new Thread(r, "port-forward-write");
                        thread.setDaemon(true);
                        return thread;
                    });

    ChannelPortForward(
            ServerWebSocket ws, String podIp, List<Integer> ports, ExecutorService threads) {
        this.ws = ws;
        this.podIp = podIp;
        this.ports = ports;
        this.threads = threads;
    }

    void start() {
        ws.pause();
        ws.binaryMessageHandler(this::fromClient);
        ws.closeHandler(v -> closeAll());
        threads.execute(this::connect);
    }

    private void connect() {
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            ws.writeBinaryMessage(portMessage(2 * i, port));
            ws.writeBinaryMessage(portMessage(2 * i + 1, port));
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(podIp, port), CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                Buffer error = Buffer.buffer().appendByte((byte) (2 * i + 1));
                error.appendString(
                        "error forwarding port "
                                + port
                                + " to pod "
                                + podIp
                                + ": "
                                + e.getMessage(),
                        StandardCharsets.UTF_8.name());
                ws.writeBinaryMessage(error);
                ws.close((short) 1000);
                closeAll();
                return;
            }
            synchronized (sockets) {
                sockets.add(socket);
            }
            int channel = 2 * i;
            threads.execute(() -> fromPod(socket, channel));
        }
        ws.resume();
    }

    private static Buffer portMessage(int channel, int port) {
        return Buffer.buffer()
                .appendByte((byte) channel)
                .appendByte((byte) (port & 0xff))
                .appendByte((byte) ((port >> 8) & 0xff));
    }

    private void fromClient(Buffer message) {
        if (message.length() < 1) {
            return;
        }
        int channel = message.getUnsignedByte(0);
        if (channel % 2 != 0 || message.length() == 1) {
            return;
        }
        Socket socket;
        synchronized (sockets) {
            int index = channel / 2;
            if (index >= sockets.size()) {
                return;
            }
            socket = sockets.get(index);
        }
        byte[] data = message.getBytes(1, message.length());
        if (writer.isShutdown()) {
            return;
        }
        writer.execute(
                () -> {
                    try {
                        socket.getOutputStream().write(data);
                    } catch (IOException e) {
                        LOG.debug("port-forward write to the pod failed: {}", e.getMessage());
                        ws.close((short) 1000);
                    }
                });
    }

    private void fromPod(Socket socket, int channel) {
        byte[] buffer = new byte[32 * 1024];
        try {
            InputStream in = socket.getInputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (read > 0) {
                    Buffer frame = Buffer.buffer(read + 1).appendByte((byte) channel);
                    frame.appendBytes(buffer, 0, read);
                    ws.writeBinaryMessage(frame);
                }
            }
        } catch (IOException e) {
            LOG.debug("port-forward read from the pod ended: {}", e.getMessage());
        } catch (IllegalStateException e) {
            // The WebSocket is already closed.
        }
        try {
            ws.close((short) 1000);
        } catch (IllegalStateException e) {
            // already closed
        }
        closeAll();
    }

    private void closeAll() {
        writer.shutdown();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    LOG.debug("closing a forwarded connection failed", e);
                }
            }
        }
    }
}
