package io.daskkubernetes.model;

/** One thing {@link SpecLint} found in a template: where, and a message that says the fix. */
public record LintFinding(Severity severity, String fieldPath, String message) {

    public enum Severity {
        /** The template was repaired or works but is likely not what the user wants. */
        WARNING,
        /** The template cannot give a working Dask pod. */
        ERROR
    }

    static LintFinding warning(String fieldPath, String message) {
        return new LintFinding(Severity.WARNING, fieldPath, message);
    }

    static LintFinding error(String fieldPath, String message) {
        return new LintFinding(Severity.ERROR, fieldPath, message);
    }

    @Override
    public String toString() {
        return severity + " " + fieldPath + ": " + message;
    }
}
