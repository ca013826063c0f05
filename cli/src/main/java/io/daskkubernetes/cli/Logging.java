package io.daskkubernetes.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Where the command line's logs go and how they look: always standard error (standard output is for
 * data), as text for people or as one JSON object a line for log collectors (the operator in a
 * pod). Logback is set up here rather than from an XML file because the format and level come from
 * the command's options, which are known only once the command line is parsed.
 */
final class Logging {

    /** How log lines are written. */
    enum Format {
        /** {@code 16:50:00.123 INFO DaskWorkerGroupReconciler - ...} */
        text,
        /**
         * logstash-logback-encoder's JSON lines: {@code @timestamp}, {@code level}, {@code
         * logger_name}, {@code thread_name}, {@code message}, {@code stack_trace}, and the MDC,
         * where the operator framework puts the reconciled object ({@code resource.kind}, {@code
         * resource.namespace}, {@code resource.name}...).
         */
        json
    }

    /** The levels a user may ask for, lowest volume first. */
    enum LogLevel {
        error,
        warn,
        info,
        debug,
        trace;

        Level logback() {
            return Level.toLevel(name());
        }
    }

    /**
     * Vert.x's warnings that the embedded API server's event loop was slow, with stack traces, say
     * nothing a user can act on; they stay visible at debug.
     */
    private static final String VERTX_BLOCKED_THREAD_CHECKER =
            "io.vertx.core.impl.BlockedThreadChecker";

    private static volatile Format format = Format.text;

    private Logging() {}

    /** The format the logs are written in now. */
    static Format format() {
        return format;
    }

    /** Replaces whatever logging was set up before with {@code format} at {@code level}. */
    static void configure(Format format, LogLevel level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        boolean debugging = level.compareTo(LogLevel.debug) >= 0;

        Encoder<ILoggingEvent> encoder =
                format == Format.json ? jsonEncoder(context) : textEncoder(context, debugging);
        ConsoleAppender<ILoggingEvent> standardError = new ConsoleAppender<>();
        standardError.setContext(context);
        standardError.setName("stderr");
        standardError.setTarget("System.err");
        standardError.setEncoder(encoder);
        standardError.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level.logback());
        Logging.format = format;
        root.addAppender(standardError);
        context.getLogger(VERTX_BLOCKED_THREAD_CHECKER)
                .setLevel(debugging ? Level.DEBUG : Level.ERROR);
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context, boolean debugging) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(
                "%d{HH:mm:ss.SSS} "
                        + (debugging ? "[%thread] " : "")
                        + "%-5level %logger{0} - %msg%n");
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        // the logger context's name and birth time are the same on every line
        encoder.setIncludeContext(false);
        encoder.start();
        return encoder;
    }
}
