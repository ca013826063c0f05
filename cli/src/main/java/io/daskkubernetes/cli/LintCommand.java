package io.daskkubernetes.cli;

import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.model.LintFinding;
import io.daskkubernetes.model.LintFinding.Severity;
import io.daskkubernetes.model.LintResult;
import io.daskkubernetes.model.SpecException;
import io.daskkubernetes.model.SpecLint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lint SPEC}: the seed's best practices checked on a worker spec; exit 1 on errors. */
@Command(
        name = "lint",
        description = "Check a worker pod spec against dask-kubernetes' best practices.",
        footer = {"%n%nExample:", "  dask-kubernetes lint worker-spec.yml"})
final class LintCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The worker pod spec (YAML).")
    Path spec;

    @Override
    public Integer call() {
        LintResult result;
        try {
            result = SpecLint.check(PodTemplateFiles.read(spec), spec.getFileName().toString());
        } catch (SpecException e) {
            System.out.println("error: " + e.getMessage());
            return 1;
        }
        boolean errors = result.findings().stream().anyMatch(f -> f.severity() == Severity.ERROR);
        if (root.output != OutputFormat.table) {
            Output.print(
                    root.output,
                    result.findings().stream()
                            .map(
                                    f ->
                                            Map.of(
                                                    "severity",
                                                    f.severity().name().toLowerCase(),
                                                    "field",
                                                    f.fieldPath(),
                                                    "message",
                                                    f.message()))
                            .toList(),
                    List.of(),
                    row -> List.of());
            return errors ? 1 : 0;
        }
        for (LintFinding finding : result.findings()) {
            System.out.println(
                    finding.severity().name().toLowerCase()
                            + ": "
                            + spec.getFileName()
                            + ": "
                            + finding.fieldPath()
                            + ": "
                            + finding.message());
        }
        System.out.println(
                result.findings().isEmpty()
                        ? spec + ": no problems found"
                        : spec + ": " + result.findings().size() + " finding(s)");
        return errors ? 1 : 0;
    }
}
