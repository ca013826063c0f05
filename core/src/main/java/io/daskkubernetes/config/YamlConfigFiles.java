package io.daskkubernetes.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daskkubernetes.model.YamlTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dask's {@code collect_yaml}: each path is a YAML (or JSON) file or a directory whose {@code
 * *.yaml}, {@code *.yml} and {@code *.json} files are read in name order. Missing paths are
 * skipped, as in Dask; a file that is not a YAML mapping is an error naming the file.
 */
final class YamlConfigFiles {

    private static final Logger LOG = LoggerFactory.getLogger(YamlConfigFiles.class);
    private static final YAMLMapper YAML = new YAMLMapper();

    record ConfigFile(Path path, Map<String, Object> content) {}

    private YamlConfigFiles() {}

    static List<ConfigFile> read(List<Path> paths) {
        List<ConfigFile> files = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : filesAt(path)) {
                Map<String, Object> content = readOne(file);
                if (content != null) {
                    files.add(new ConfigFile(file, content));
                }
            }
        }
        return files;
    }

    private static List<Path> filesAt(Path path) {
        if (Files.isDirectory(path)) {
            try (Stream<Path> entries = Files.list(path)) {
                return entries.filter(Files::isRegularFile)
                        .filter(
                                p -> {
                                    String name = p.getFileName().toString();
                                    return name.endsWith(".yaml")
                                            || name.endsWith(".yml")
                                            || name.endsWith(".json");
                                })
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new ConfigException(
                        path.toString(),
                        "(directory)",
                        "cannot be listed: " + e.getMessage(),
                        "make the directory readable or remove it from the configuration path",
                        e);
            }
        }
        return Files.isRegularFile(path) ? List.of(path) : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readOne(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            // Dask warns and goes on when a file cannot be read; we do the same, loudly.
            LOG.warn("Skipping unreadable Dask configuration file {}: {}", file, e.toString());
            return null;
        }
        Object parsed;
        try (JsonParser parser = YAML.createParser(text)) {
            // A file with no document (empty, or only comments, as dask.config.ensure_file writes
            // it) is an empty layer, as in Dask.
            parsed = parser.nextToken() == null ? null : YAML.readValue(parser, Object.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    file.toString(),
                    "(file)",
                    "is not valid YAML: " + e.getOriginalMessage(),
                    "fix the YAML syntax" + location(e),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + " held in memory", e);
        }
        if (parsed == null) {
            return null;
        }
        if (!(parsed instanceof Map)) {
            throw new ConfigException(
                    file.toString(),
                    "(file)",
                    "holds a YAML "
                            + (parsed instanceof List ? "list" : "scalar")
                            + ", not a mapping",
                    "write configuration as nested keys such as 'kubernetes: {count: {max: 10}}'");
        }
        return (Map<String, Object>) YamlTrees.copy(parsed);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " near line " + e.getLocation().getLineNr();
    }
}
