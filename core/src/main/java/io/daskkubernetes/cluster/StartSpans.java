package io.daskkubernetes.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long each step of a cluster's start took, logged at debug level (the command line's -v) and
 * kept for benchmarks: where the start-up time goes.
 */
public final class StartSpans {

    private static final Logger log = LoggerFactory.getLogger(StartSpans.class);

    /** One step and its duration. */
    public record Span(String step, long millis) {}

    private final List<Span> spans = new ArrayList<>();
    private long last = System.nanoTime();

    /** Ends the current step, named {@code step}, and starts the next. */
    void mark(String step) {
        long now = System.nanoTime();
        Span span = new Span(step, (now - last) / 1_000_000);
        last = now;
        spans.add(span);
        log.debug("start step '{}' took {} ms", step, span.millis());
    }

    public List<Span> spans() {
        return Collections.unmodifiableList(spans);
    }
}
