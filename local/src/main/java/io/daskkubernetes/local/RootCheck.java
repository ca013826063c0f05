package io.daskkubernetes.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this JVM runs as root (uid 0), which pod network namespaces need. */
final class RootCheck {

    private RootCheck() {}

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    // "Uid: real effective saved filesystem": the effective uid decides.
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
