package io.daskkubernetes.local.kubelet;

/**
 * Run inside a PID namespace by {@link ProcessGroupSignalTest}: signals the group given as argument
 * the way the kubelet does and prints what happened, for the test to check.
 */
public final class LowGroupSignaller {

    private LowGroupSignaller() {}

    public static void main(String[] args) throws InterruptedException {
        long pgid = Long.parseLong(args[0]);
        ProcessGroupSignal.Outcome outcome = ProcessGroupSignal.send(pgid, "KILL");
        boolean empty = ProcessGroups.isEmpty(pgid);
        for (int i = 0; i < 100 && !empty; i++) {
            // A standalone program without Awaitility: the kernel reaps SIGKILLed processes soon.
            Thread.sleep(20);
            empty = ProcessGroups.isEmpty(pgid);
        }
        System.out.println("pgid=" + pgid + " outcome=" + outcome + " empty=" + empty);
    }
}
