package io.daskkubernetes.local.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One pod on the host network: at 127.0.0.1 like every pod, and, when {@link HostsFileMount} works
 * here, with its own hosts file that names the pod and the cluster's Services, mounted over
 * /etc/hosts in the pod's processes. Without it the pod sees the machine's /etc/hosts.
 */
final class HostSandbox implements PodSandbox {

    static final String LOOPBACK = "127.0.0.1";

    private final String podNamespace;
    private final String podName;

    /** Null when pods share the machine's /etc/hosts. */
    private final Path hostsFile;

    private final Supplier<ServiceNames> currentNames;
    private final Consumer<HostSandbox> onClose;
    private final boolean userNamespace;
    private boolean closed;

    HostSandbox(
            String podNamespace,
            String podName,
            Path hostsFile,
            Supplier<ServiceNames> currentNames,
            Consumer<HostSandbox> onClose,
            boolean userNamespace) {
        this.userNamespace = userNamespace;
        this.podNamespace = podNamespace;
        this.podName = podName;
        this.hostsFile = hostsFile;
        this.currentNames = currentNames;
        this.onClose = onClose;
    }

    @Override
    public String podIp() {
        return LOOPBACK;
    }

    @Override
    public List<String> commandPrefix() {
        return hostsFile == null
                ? List.of()
                : HostsFileMount.commandPrefix(hostsFile, userNamespace);
    }

    /**
     * Writes the hosts file with the names current at this moment, so that of two concurrent writes
     * the later one carries the latest names. In place: the pod's processes have this very file
     * (inode) bind-mounted, so a new file would not be seen.
     */
    synchronized void writeHosts() {
        if (hostsFile == null || closed) {
            return;
        }
        String content = currentNames.get().hostsFile(podNamespace, podName, LOOPBACK);
        try {
            Files.writeString(
                    hostsFile,
                    content,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the hosts file "
                            + hostsFile
                            + " of pod "
                            + podNamespace
                            + "/"
                            + podName,
                    e);
        }
    }

    /**
     * Called once no process of the pod is left: the file goes (and a late update must not bring it
     * back).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (hostsFile != null) {
                try {
                    Files.deleteIfExists(hostsFile);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + hostsFile, e);
                }
            }
        }
        onClose.accept(this);
    }
}
