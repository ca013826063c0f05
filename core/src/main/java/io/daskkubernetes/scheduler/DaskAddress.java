package io.daskkubernetes.scheduler;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A Dask comm address such as {@code tcp://10.0.0.5:8786} or {@code tcp://[::1]:8786}; only tcp is
 * spoken.
 */
public record DaskAddress(String host, int port) {

    public DaskAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a Dask address needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /** Parses {@code tcp://host:port}; a missing scheme means tcp, as in Dask. */
    public static DaskAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException(
                    "no scheduler address given: expected tcp://host:port");
        }
        String withScheme = address.contains("://") ? address : "tcp://" + address;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "scheduler address '" + address + "' is not tcp://host:port", e);
        }
        if (!"tcp".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "scheduler address '"
                            + address
                            + "' uses "
                            + uri.getScheme()
                            + "://, only tcp:// is supported (no tls, ucx or inproc)");
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException(
                    "scheduler address '" + address + "' is not tcp://host:port");
        }
        String host =
                uri.getHost().startsWith("[")
                        ? uri.getHost().substring(1, uri.getHost().length() - 1)
                        : uri.getHost();
        return new DaskAddress(host, uri.getPort());
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
