package io.daskkubernetes.local.kubelet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a command run "in" a running container runs: in its pod's sandbox (the words that enter
 * it), with its environment and in its working directory.
 */
public record ExecTarget(
        String container,
        List<String> prefix,
        Map<String, String> environment,
        Path workingDirectory) {}
