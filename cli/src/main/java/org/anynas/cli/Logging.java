package org.anynas.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.read.CyclicBufferAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Quiet by default: library logs (ND4J/DL4J start-up, H2, Flyway) go to the run's log file; {@code --verbose}
 * also shows them on stderr. Users read progress and results on stdout.
 */
public final class Logging {
    private static volatile Path current; // where this run's log goes; an internal error names it
    private static final int HELD = 2000;
    private static volatile CyclicBufferAppender<ILoggingEvent> held; // logs of a deferred run not yet in its file
    private static volatile Path deferred;
    private static volatile boolean deferredVerbose;

    private Logging() {
    }

    /** The log file of this run, or null if none was configured yet. */
    static Path file() {
        return current;
    }

    public static void configure(Path logFile, boolean verbose) {
        // taken before the reset below stops (and empties) the buffer that holds them
        List<ILoggingEvent> earlier = new ArrayList<>();
        CyclicBufferAppender<ILoggingEvent> buffer = held;
        for (int i = 0; buffer != null && i < buffer.getLength(); i++) earlier.add(buffer.get(i));
        held = null;
        deferred = null;
        current = null;
        // JavaCPP prints native-loader warnings itself unless told to use SLF4J
        System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        // under spark-submit, Spark's own SLF4J provider (log4j2) may win: its configuration then decides
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
        ctx.reset();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        if (logFile != null) {
            try {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                FileAppender<ILoggingEvent> file = new FileAppender<>();
                file.setContext(ctx);
                file.setFile(logFile.toString());
                file.setAppend(true);
                file.setEncoder(encoder(ctx, "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n"));
                file.start();
                // what was held while the run was still being checked comes first
                earlier.forEach(file::doAppend);
                root.addAppender(file);
                current = logFile.toAbsolutePath();
            } catch (java.io.IOException e) {
                System.err.println("warning: cannot write log file " + logFile + ": " + e.getMessage());
            }
        }
        if (verbose) root.addAppender(console(ctx));
    }

    /**
     * As {@link #configure}, but the log file (and its folder) is created only by {@link #open()}, once nothing
     * refuses the run: a refused campaign leaves no log behind. Until then logs are held in memory (the last
     * {@value #HELD} events) and, with {@code verbose}, shown on stderr at once.
     */
    static void defer(Path logFile, boolean verbose) {
        configure(null, verbose);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
        CyclicBufferAppender<ILoggingEvent> buffer = new CyclicBufferAppender<>();
        buffer.setContext(ctx);
        buffer.setMaxSize(HELD);
        buffer.start();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(buffer);
        held = buffer;
        deferred = logFile;
        deferredVerbose = verbose;
    }

    /** Creates the log file that {@link #defer} named, with the logs held until now; does nothing without one. */
    static void open() {
        if (deferred != null) configure(deferred, deferredVerbose);
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setTarget("System.err");
        console.setEncoder(encoder(ctx, "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n"));
        console.start();
        return console;
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(pattern);
        e.start();
        return e;
    }
}
