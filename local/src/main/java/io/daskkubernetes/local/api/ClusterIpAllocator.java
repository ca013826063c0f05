package io.daskkubernetes.local.api;

import java.util.Set;

/**
 * Hands out Service cluster IPs. With pod networking each runtime owns one /24 of 10.96.0.0/12 (the
 * service range of real clusters), so that two runtimes on one machine never hand out the same
 * address; with the host network every Service is at 127.0.0.1, where its pods listen.
 */
public final class ClusterIpAllocator {

    private final String prefix;

    /** The host part last handed out: the next search starts after it. */
    private int last = 9;

    private ClusterIpAllocator(String prefix) {
        this.prefix = prefix;
    }

    /** Addresses 10.96.{block}.10 to 10.96.{block}.254. */
    public static ClusterIpAllocator range(int block) {
        if (block < 0 || block > 255) {
            throw new IllegalArgumentException("cluster IP block must be 0..255, got " + block);
        }
        return new ClusterIpAllocator("10.96." + block + ".");
    }

    public static ClusterIpAllocator loopback() {
        return new ClusterIpAllocator(null);
    }

    /**
     * The address of the {@code kubernetes} Service: the first of the range, as on real clusters
     * (10.96.0.1), never handed out to another Service.
     */
    public String kubernetesServiceIp() {
        return prefix == null ? "127.0.0.1" : prefix + "1";
    }

    public boolean isLoopback() {
        return prefix == null;
    }

    /**
     * The next address not in {@code inUse}, going round the range from the last one handed out, so
     * that the address of a Service just deleted is not at once another's: the old Service's proxy
     * and names may still be in place for a moment.
     */
    public synchronized String allocate(Set<String> inUse) {
        if (prefix == null) {
            return "127.0.0.1";
        }
        for (int step = 1; step <= 245; step++) {
            int host = 10 + Math.floorMod(last - 10 + step, 245);
            String candidate = prefix + host;
            if (!inUse.contains(candidate)) {
                last = host;
                return candidate;
            }
        }
        throw new AdmissionException(
                "spec.clusterIP: Internal error: the service range "
                        + prefix
                        + "0/24 of this local runtime is full; delete unused Services");
    }

    /** Whether a user-chosen address may be used: inside this runtime's range. */
    public boolean contains(String ip) {
        if (prefix == null) {
            return ip.equals("127.0.0.1");
        }
        if (!ip.startsWith(prefix)) {
            return false;
        }
        try {
            int host = Integer.parseInt(ip.substring(prefix.length()));
            return host >= 1 && host <= 254;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public String rangeDescription() {
        return prefix == null ? "127.0.0.1 (host network)" : prefix + "0/24";
    }
}
