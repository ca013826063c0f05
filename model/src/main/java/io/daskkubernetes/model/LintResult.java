package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** A template after {@link SpecLint}: the repaired copy and what was found on the way. */
public record LintResult(Pod repaired, List<LintFinding> findings) {

    public LintResult {
        findings = List.copyOf(findings);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == LintFinding.Severity.ERROR);
    }

    public List<LintFinding> errors() {
        return findings.stream().filter(f -> f.severity() == LintFinding.Severity.ERROR).toList();
    }

    public List<LintFinding> warnings() {
        return findings.stream().filter(f -> f.severity() == LintFinding.Severity.WARNING).toList();
    }
}
