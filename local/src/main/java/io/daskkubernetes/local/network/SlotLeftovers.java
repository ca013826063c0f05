package io.daskkubernetes.local.network;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a dead runtime's network slot left (network namespaces with their processes, links,
 * /etc/netns entries), but only while holding the slot: a runtime that has taken the slot since
 * owns everything named after it, and removes a dead one's leftovers itself when it starts.
 */
public final class SlotLeftovers {

    private static final Logger LOG = LoggerFactory.getLogger(SlotLeftovers.class);

    private SlotLeftovers() {}

    /**
     * Waits up to {@code wait} for slot {@code number} to be free (its runtime's JVM may still be
     * exiting), then removes everything named after it; false when another runtime holds the slot.
     */
    public static boolean removeOnceFree(int number, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            RuntimeSlot slot = RuntimeSlot.tryAcquire(number);
            if (slot != null) {
                try {
                    LeftoverCleanup.removeEverythingNamed(slot.prefix() + "-");
                    return true;
                } finally {
                    slot.close();
                }
            }
            if (System.nanoTime() > deadline) {
                LOG.info(
                        "slot {} is held by another runtime, which removes what was left in it",
                        number);
                return false;
            }
            // The dying JVM's lock goes when the kernel has closed all its files: soon.
            Thread.sleep(50);
        }
    }

    /**
     * Whether a runtime holds slot {@code number} now (this JVM's included): then everything named
     * after the slot is that runtime's.
     */
    public static boolean isTaken(int number) {
        RuntimeSlot slot = RuntimeSlot.tryAcquire(number);
        if (slot == null) {
            return true;
        }
        slot.close();
        return false;
    }
}
