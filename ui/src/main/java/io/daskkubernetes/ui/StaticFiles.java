package io.daskkubernetes.ui;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.webjars.WebJarVersionLocator;

/**
 * The pages and their scripts, from this jar, and front-end libraries from WebJars on the class
 * path (uPlot): nothing is fetched from a CDN, so the console works offline.
 */
final class StaticFiles {

    private static final String PAGES = "io/daskkubernetes/ui/static/";
    private static final Map<String, String> TYPES =
            Map.of(
                    "html", "text/html; charset=utf-8",
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8",
                    "svg", "image/svg+xml");

    private final WebJarVersionLocator webJars = new WebJarVersionLocator();

    /** A file, typed. */
    record File(byte[] content, String type) {}

    /** One of the console's own files, by name (no directories). */
    Optional<File> page(String name) throws IOException {
        if (!name.matches("[A-Za-z0-9_-]+\\.(html|js|css|svg)")) {
            return Optional.empty();
        }
        return read(PAGES + name, name);
    }

    /** {@code /webjars/<name>/<path>}: a file of a WebJar, whatever its version. */
    Optional<File> webJar(String name, String path) throws IOException {
        if (path.contains("..") || !name.matches("[A-Za-z0-9_.-]+")) {
            return Optional.empty();
        }
        String full = webJars.fullPath(name, path);
        return full == null ? Optional.empty() : read(full, path);
    }

    private Optional<File> read(String resource, String name) throws IOException {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            String extension = name.substring(name.lastIndexOf('.') + 1);
            return Optional.of(
                    new File(in.readAllBytes(), TYPES.getOrDefault(extension, "text/plain")));
        }
    }
}
