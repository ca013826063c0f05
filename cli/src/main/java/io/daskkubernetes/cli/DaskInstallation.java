package io.daskkubernetes.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Makes sure Debian's Dask is on this machine, installing it when run as root. */
final class DaskInstallation {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final List<String> PACKAGES = List.of("python3-distributed", "python3-dask");
    static final String INSTALL_COMMAND =
            "apt-get update && apt-get install -y " + String.join(" ", PACKAGES);

    private DaskInstallation() {}

    static boolean present() {
        return Files.isExecutable(Path.of("/usr/bin/dask-scheduler"))
                && Files.isExecutable(Path.of("/usr/bin/dask-worker"))
                && Files.isExecutable(PYTHON);
    }

    static void ensure(Progress progress) throws IOException, InterruptedException {
        if (present()) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(
                    "Dask is not installed; run as root: " + INSTALL_COMMAND);
        }
        progress.step(
                "Installing Dask from Debian ("
                        + String.join(", ", PACKAGES)
                        + "); this takes a minute or two");
        run(List.of("apt-get", "update", "-qq"));
        run(List.of("apt-get", "install", "-y", "-qq", PACKAGES.get(0), PACKAGES.get(1)));
        if (!present()) {
            throw new IllegalStateException(
                    "Dask is still missing after installing it; try: " + INSTALL_COMMAND);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .inheritIO()
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(
                    String.join(" ", command)
                            + " failed with exit code "
                            + exit
                            + "; install Dask by hand: "
                            + INSTALL_COMMAND);
        }
    }
}
