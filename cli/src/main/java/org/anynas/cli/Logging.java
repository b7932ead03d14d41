package org.anynas.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Quiet by default: library logs (ND4J/DL4J start-up, H2, Flyway) go to the run's log file; {@code --verbose}
 * also shows them on stderr. Users read progress and results on stdout.
 */
final class Logging {
    private static volatile Path current; // where this run's log goes; an internal error names it

    private Logging() {
    }

    /** The log file of this run, or null if none was configured yet. */
    static Path file() {
        return current;
    }

    static void configure(Path logFile, boolean verbose) {
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
                root.addAppender(file);
                current = logFile.toAbsolutePath();
            } catch (java.io.IOException e) {
                System.err.println("warning: cannot write log file " + logFile + ": " + e.getMessage());
            }
        }
        if (verbose) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setContext(ctx);
            console.setTarget("System.err");
            console.setEncoder(encoder(ctx, "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n"));
            console.start();
            root.addAppender(console);
        }
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(pattern);
        e.start();
        return e;
    }
}
