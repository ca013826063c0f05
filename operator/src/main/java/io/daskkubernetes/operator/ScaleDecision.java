package io.daskkubernetes.operator;

import java.util.List;

/**
 * What one autoscaler round decided for a worker group: the direction, the replicas before and
 * after, the workers (pod names) to retire first when shrinking, and why, in words for an Event.
 */
record ScaleDecision(Direction direction, int from, int to, List<String> retire, String reason) {

    enum Direction {
        UP,
        DOWN,
        HOLD;

        /** The metric tag and Event wording: "up", "down", "hold". */
        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    ScaleDecision {
        retire = List.copyOf(retire);
    }

    static ScaleDecision hold(int replicas, String reason) {
        return new ScaleDecision(Direction.HOLD, replicas, replicas, List.of(), reason);
    }

    boolean scales() {
        return direction != Direction.HOLD;
    }

    /** "up 1 → 5: the scheduler wants 6 workers ...", as written to Events and status. */
    String describe() {
        return direction.word() + " " + from + " → " + to + ": " + reason;
    }
}
