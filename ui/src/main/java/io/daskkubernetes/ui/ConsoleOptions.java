package io.daskkubernetes.ui;

import java.time.Duration;

/**
 * How the console is served.
 *
 * @param address the address to listen on; loopback unless the user chose otherwise
 * @param port the port, 0 for any free one
 * @param namespace the one namespace to show, or null for every namespace the user can read
 * @param allowScaling whether the pages may scale and adapt clusters
 * @param samplingInterval how often each scheduler is asked, whatever the number of browsers
 */
public record ConsoleOptions(
        String address,
        int port,
        String namespace,
        boolean allowScaling,
        Duration samplingInterval) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final Duration DEFAULT_SAMPLING = Duration.ofSeconds(2);

    public ConsoleOptions {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException(
                    "--address is empty; give a host or IP to listen on, e.g. " + LOOPBACK);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "--port " + port + " is not a port; give 1-65535, or 0 for any free port");
        }
        if (samplingInterval == null || samplingInterval.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "--sampling-interval "
                            + samplingInterval
                            + " is too short; give at least 0.1 seconds");
        }
    }

    /** Loopback, any free port, every namespace, read-only, sampled every 2 s. */
    public static ConsoleOptions defaults() {
        return new ConsoleOptions(LOOPBACK, 0, null, false, DEFAULT_SAMPLING);
    }

    public ConsoleOptions withAllowScaling(boolean allow) {
        return new ConsoleOptions(address, port, namespace, allow, samplingInterval);
    }

    public ConsoleOptions withSamplingInterval(Duration interval) {
        return new ConsoleOptions(address, port, namespace, allowScaling, interval);
    }

    public ConsoleOptions withNamespace(String ns) {
        return new ConsoleOptions(address, port, ns, allowScaling, samplingInterval);
    }
}
