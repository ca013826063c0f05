package io.daskkubernetes.scheduler;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/** Turns a connected socket into a TLS one, checked against the cluster's CA, before any frame. */
final class TlsHandshake {

    private TlsHandshake() {}

    /**
     * The TLS socket over {@code plain}, after a handshake within {@code timeout}; {@code plain} is
     * closed when the handshake fails.
     */
    static Socket wrap(Socket plain, DaskAddress address, DaskTls tls, Duration timeout) {
        try {
            SSLSocket secure =
                    (SSLSocket)
                            tls.socketFactory()
                                    .createSocket(plain, address.host(), address.port(), true);
            secure.setUseClientMode(true);
            secure.setEnabledProtocols(DaskTls.protocols());
            secure.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            secure.startHandshake();
            return secure;
        } catch (IOException e) {
            try {
                plain.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw new SchedulerConnectionException(
                    "the TLS handshake with the Dask scheduler at tls://"
                            + address.host()
                            + ":"
                            + address.port()
                            + " failed (is it the cluster these credentials belong to, and does it"
                            + " speak TLS?): "
                            + e,
                    e);
        }
    }
}
