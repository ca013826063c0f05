package io.daskkubernetes.config;

import io.daskkubernetes.model.PodTemplates;
import io.daskkubernetes.model.SpecException;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Pod templates read from YAML files, as classic {@code KubeCluster.from_yaml} read them. */
public final class PodTemplateFiles {

    private PodTemplateFiles() {}

    /** Reads a file, expanding $VAR and ${VAR} from this process's environment. */
    public static Pod read(Path file) {
        return read(file, System.getenv());
    }

    public static Pod read(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecException(
                    file.toString(),
                    "(file)",
                    "does not exist",
                    "check the path (kubernetes.worker-template-path or --spec)",
                    e);
        } catch (IOException e) {
            throw new SpecException(
                    file.toString(),
                    "(file)",
                    "cannot be read: " + e.getMessage(),
                    "make the file readable",
                    e);
        }
        return PodTemplates.fromYamlString(text, file.toString(), env);
    }
}
