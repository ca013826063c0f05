package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, exactly as written: the fenced block after the line with {@code <!--
 * main-command -->}, run with bash from the repository root. It computes the seed's full {@code
 * da.ones((1000, 1000, 1000), chunks=(100, 100, 10)).mean()} and must print 1.0.
 */
class ReadmeMainCommandIT {

    static final String MARKER = "<!-- main-command -->";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir Path output;

    @Test
    void theReadmesMainCommandPrintsOneAndExitsZero() throws Exception {
        String command = mainCommand(Files.readAllLines(Launcher.REPOSITORY.resolve("README.md")));

        try (LaunchedProcess readme = Launcher.startBash(output, Map.of(), command)) {
            int exit = readme.awaitExit(TIMEOUT);

            assertThat(exit).as(readme.describe()).isZero();
            assertThat(readme.stdout().lines()).as(readme.describe()).contains("1.0");
        }
    }

    /** The body of the first fenced code block after the marker line. */
    static String mainCommand(List<String> readme) {
        int marker = -1;
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).contains(MARKER)) {
                marker = i;
                break;
            }
        }
        assertThat(marker)
                .as("README.md has a line with %s before its main command", MARKER)
                .isNotNegative();
        int open = marker + 1;
        while (open < readme.size() && !readme.get(open).strip().startsWith("```")) {
            open++;
        }
        assertThat(open).as("a fenced code block follows %s", MARKER).isLessThan(readme.size());
        List<String> body = new ArrayList<>();
        for (int i = open + 1; i < readme.size(); i++) {
            if (readme.get(i).strip().startsWith("```")) {
                assertThat(body).as("the main command block is not empty").isNotEmpty();
                return String.join("\n", body) + "\n";
            }
            body.add(readme.get(i));
        }
        throw new AssertionError("the code block after " + MARKER + " is not closed");
    }
}
