package io.daskkubernetes.local.kubelet;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Looks into /proc for the members of a process group. */
final class ProcessGroups {

    private ProcessGroups() {}

    /** True when no process (zombies excluded) is left in the group. */
    static boolean isEmpty(long pgid) {
        try (DirectoryStream<Path> processes =
                Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException e) {
                    continue; // exited meanwhile
                }
                // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so parse
                // after the last ')'.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (!fields[0].equals("Z") && Long.parseLong(fields[2]) == pgid) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read /proc", e);
        }
    }

    /**
     * Kills the group and waits (up to {@code timeoutMillis}) until it is empty; true when it is.
     */
    static boolean killAndWait(long pgid, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long nextSend = 0;
        while (!isEmpty(pgid)) {
            long now = System.currentTimeMillis();
            if (now > deadline) {
                return false;
            }
            if (now >= nextSend) {
                // Sent again while members remain: a process forked between two sends, or a send
                // that failed, gets another.
                ProcessGroupSignal.send(pgid, "KILL");
                nextSend = now + 500;
            }
            try {
                // Production wait for the kernel to reap SIGKILLed processes; no event tells us
                // when.
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
