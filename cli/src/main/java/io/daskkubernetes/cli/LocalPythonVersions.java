package io.daskkubernetes.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The package versions of the Python that {@code run} is about to start, asked the way Dask's own
 * client asks its peers ({@code distributed.versions.get_versions()}), so that the client side of
 * the seed's first best practice (matching environments) is checked before any work is sent.
 */
final class LocalPythonVersions {

    private static final Logger log = LoggerFactory.getLogger(LocalPythonVersions.class);
    private static final Pattern PYTHON = Pattern.compile("python[0-9.]*");
    private static final long TIMEOUT_SECONDS = 20;

    /** Dask's own answer when distributed imports; else the Python version and what is missing. */
    private static final String SCRIPT =
            """
            import json, sys
            try:
                from distributed.versions import get_versions
                packages = get_versions()["packages"]
            except ImportError:
                packages = {"python": ".".join(map(str, sys.version_info)), "distributed": None}
                try:
                    import dask
                    packages["dask"] = dask.__version__
                except ImportError:
                    packages["dask"] = None
            print(json.dumps(packages))
            """;

    private LocalPythonVersions() {}

    /**
     * The versions of the interpreter {@code command} starts, when it starts one directly ({@code
     * python3 job.py}, {@code /usr/bin/python3 -m ...}); empty for any other command, or when the
     * interpreter cannot say (logged).
     */
    static Optional<Map<String, String>> of(List<String> command) {
        if (command.isEmpty()
                || !PYTHON.matcher(Path.of(command.get(0)).getFileName().toString()).matches()) {
            return Optional.empty();
        }
        String interpreter = command.get(0);
        try {
            Process process =
                    new ProcessBuilder(interpreter, "-c", SCRIPT)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                log.warn(
                        "{} did not report its package versions within {} s",
                        interpreter,
                        TIMEOUT_SECONDS);
                return Optional.empty();
            }
            if (process.exitValue() != 0) {
                log.warn(
                        "{} could not report its package versions (exit {})",
                        interpreter,
                        process.exitValue());
                return Optional.empty();
            }
            Map<String, String> versions =
                    new ObjectMapper()
                            .readValue(
                                    output.strip(),
                                    new TypeReference<LinkedHashMap<String, String>>() {});
            return Optional.of(versions);
        } catch (IOException e) {
            log.warn("cannot ask {} for its package versions: {}", interpreter, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
