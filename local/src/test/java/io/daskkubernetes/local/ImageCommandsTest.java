package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandsTest {

    @Test
    void pythonBecomesTheSystemsPython3WhenTheHostHasNoPython(@TempDir Path dir)
            throws IOException {
        Path system = executable(dir.resolve("usr-bin"), "python3");

        Optional<Path> bin = ImageCommands.create(dir.resolve("image-bin"), system);

        assertThat(bin).contains(dir.resolve("image-bin"));
        assertThat(Files.readSymbolicLink(dir.resolve("image-bin/python")))
                .isEqualTo(system.resolve("python3"));
        assertThat(ContainerBaseEnvironment.of(java.util.Map.of("PATH", "/opt/x"), "r", bin))
                .containsEntry("PATH", "/usr/bin:/bin:" + bin.get() + ":/opt/x:/usr/sbin:/sbin");
    }

    @Test
    void aHostPythonIsLeftAsItIs(@TempDir Path dir) throws IOException {
        Path system = executable(dir.resolve("usr-bin"), "python3");
        executable(system, "python");

        assertThat(ImageCommands.create(dir.resolve("image-bin"), system)).isEmpty();
        assertThat(dir.resolve("image-bin")).doesNotExist();
    }

    @Test
    void noPython3MeansNoAlias(@TempDir Path dir) throws IOException {
        Path system = Files.createDirectories(dir.resolve("usr-bin"));

        assertThat(ImageCommands.create(dir.resolve("image-bin"), system)).isEmpty();
    }

    @Test
    void theRealSystemsPythonRunsAsPythonWithDask(@TempDir Path dir) throws Exception {
        Optional<Path> bin = ImageCommands.create(dir.resolve("image-bin"), Path.of("/usr/bin"));
        String path = ContainerBaseEnvironment.of(System.getenv(), "r", bin).get("PATH");
        ProcessBuilder builder =
                new ProcessBuilder("sh", "-c", "python -c 'import distributed; print(\"ok\")'")
                        .redirectErrorStream(true);
        builder.environment().put("PATH", path);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes()).trim();

        assertThat(process.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo("ok");
    }

    private static Path executable(Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return directory;
    }
}
