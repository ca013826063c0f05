package io.daskkubernetes.scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Reads a socket under one deadline for a whole message. A plain socket timeout restarts with every
 * read, so a peer dribbling a byte at a time could hold us forever; this shrinks the timeout as the
 * deadline approaches.
 */
final class DeadlineInputStream extends InputStream {

    private final Socket socket;
    private final InputStream in;
    private long deadlineNanos;

    DeadlineInputStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadlineNanos = System.nanoTime();
    }

    /** Every read from now on must finish within {@code timeoutMillis}. */
    void startDeadline(long timeoutMillis) {
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public int read() throws IOException {
        armTimeout();
        return in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        armTimeout();
        return in.read(buffer, offset, length);
    }

    private void armTimeout() throws IOException {
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (leftMillis <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        // 0 would mean "wait forever" to a socket, so the last instant is rounded up to 1 ms.
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, leftMillis)));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
