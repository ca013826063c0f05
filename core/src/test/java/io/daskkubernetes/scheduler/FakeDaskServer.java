package io.daskkubernetes.scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted stand-in for a Dask scheduler's comm port, to provoke what a real one rarely does:
 * closing mid-reply, sending garbage, never answering. Connections are served one after another.
 */
final class FakeDaskServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    @FunctionalInterface
    interface Script {
        void serve(Connection connection, int index) throws Exception;
    }

    /** The server's side of one connection. */
    static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final List<Object> received;

        Connection(Socket socket, List<Object> received) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.received = received;
        }

        /** Sends the handshake of distributed 2022.12.1 and reads the client's. */
        Object handshake() throws IOException {
            send(Map.of("compression", "lz4", "python", List.of(3, 11, 2), "pickle-protocol", 5));
            return receive();
        }

        Object receive() throws IOException {
            Object message =
                    MsgpackValues.unpack(
                            DaskFrames.read(in, DaskFrames.DEFAULT_MAX_MESSAGE_BYTES).get(0));
            received.add(message);
            return message;
        }

        void send(Object message) throws IOException {
            DaskFrames.write(out, List.of(MsgpackValues.pack(message)));
        }

        /** Answers requests until the client says goodbye with {"op": "close"}. */
        void answerUntilClosed(Function<Map<?, ?>, Object> answer) throws IOException {
            while (true) {
                Map<?, ?> request = (Map<?, ?>) receive();
                if ("close".equals(request.get("op"))) {
                    return;
                }
                send(answer.apply(request));
            }
        }

        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Blocks until the client goes away or the server closes: a peer that never answers. */
        void stayQuiet() throws IOException {
            while (in.read() >= 0) {
                // discard
            }
        }

        void close() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket serverSocket;
    private final Thread thread;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Object> received = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    FakeDaskServer(Script script) throws IOException {
        serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(script), "fake-dask-server");
        thread.setDaemon(true);
        thread.start();
    }

    String address() {
        return "tcp://127.0.0.1:" + serverSocket.getLocalPort();
    }

    int connectionsAccepted() {
        return accepted.get();
    }

    /** Every message the server read, handshakes included, in order. */
    List<Object> received() {
        return received;
    }

    private void serve(Script script) {
        while (!serverSocket.isClosed()) {
            try (Socket socket = serverSocket.accept()) {
                sockets.add(socket);
                script.serve(new Connection(socket, received), accepted.getAndIncrement());
            } catch (SocketException e) {
                // closed by close() or by the client: the script is over
            } catch (Exception e) {
                failures.add(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the fake Dask server", e);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("fake Dask server thread did not stop");
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure =
                    new IllegalStateException("fake Dask server script failed");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
