package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user guide's Java quick start, as written there: compiled against this build and run in its
 * own JVM, it must print 1.0 and leave nothing behind.
 */
class QuickStartDocTest {

    private static final Path GUIDE = Path.of("../docs/user-guide.md");

    @TempDir Path dir;

    @Test
    void theUserGuidesQuickStartCompilesRunsAndPrintsOne() throws Exception {
        Path source = dir.resolve("QuickStart.java");
        Files.writeString(source, quickStartCode());
        String classpath = dir + ":" + System.getProperty("java.class.path");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled =
                javac.run(
                        null,
                        null,
                        null,
                        "-cp",
                        classpath,
                        "-d",
                        dir.toString(),
                        source.toString());
        assertThat(compiled).as("javac of the quick start").isZero();

        Process java =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                classpath,
                                "QuickStart")
                        .redirectErrorStream(true)
                        .start();
        try {
            boolean finished = java.waitFor(150, TimeUnit.SECONDS);
            String output =
                    new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finished).as(output).isTrue();
            assertThat(java.exitValue()).as(output).isZero();
            assertThat(output.lines().map(String::strip).toList()).as(output).contains("1.0");
        } finally {
            // Its shutdown hooks close the cluster and the runtime, as on Ctrl-C.
            java.destroy();
            if (!java.waitFor(60, TimeUnit.SECONDS)) {
                java.destroyForcibly();
            }
        }
    }

    /** The Java block after the {@code <!-- quick-start -->} marker. */
    private static String quickStartCode() throws IOException {
        List<String> lines = Files.readAllLines(GUIDE);
        int marker = lines.indexOf("<!-- quick-start -->");
        assertThat(marker).as("the quick-start marker in " + GUIDE).isNotNegative();
        assertThat(lines.get(marker + 1)).isEqualTo("```java");
        int end = lines.subList(marker + 2, lines.size()).indexOf("```") + marker + 2;
        return String.join("\n", lines.subList(marker + 2, end));
    }
}
