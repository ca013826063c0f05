package io.daskkubernetes.cli;

import io.daskkubernetes.ui.ConsoleOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How the web console is served, shared by {@code ui}, {@code local --ui} and {@code operator
 * --ui}: loopback unless told otherwise, read-only unless {@code --allow-scaling}.
 */
final class ConsoleFlags {

    @Option(
            names = {"--address", "--ui-address"},
            paramLabel = "HOST",
            defaultValue = ConsoleOptions.LOOPBACK,
            description =
                    "Address the web console listens on (default: ${DEFAULT-VALUE}, this machine"
                            + " only; 0.0.0.0 for every interface, where anyone with the printed"
                            + " token can use it).")
    String address;

    @Option(
            names = {"--port", "--ui-port"},
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Port of the web console (default: any free port; the URL is printed).")
    int port;

    @Option(
            names = "--allow-scaling",
            description =
                    "Show scale and adapt controls and accept them (otherwise the console is"
                            + " read-only and refuses every write).")
    boolean allowScaling;

    @Option(
            names = "--sampling-interval",
            paramLabel = "SECONDS",
            defaultValue = "2",
            description =
                    "How often each scheduler is asked, however many browsers are open"
                            + " (default: ${DEFAULT-VALUE}).")
    double samplingSeconds;

    ConsoleOptions options(String namespace) {
        return new ConsoleOptions(
                address,
                port,
                namespace,
                allowScaling,
                Duration.ofMillis(Math.round(samplingSeconds * 1000)));
    }
}
