package org.anynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** A bug is not a user error: one line naming the log file, exit code 70, the stack trace in the log only. */
class InternalErrorTest extends CapturedConsole {

    /** Fails the way a bug does: an exception that says nothing about the input. */
    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalArgumentException("index 7 out of range\nfor length 3");
        }
    }

    @Test
    void anUnexpectedExceptionIsOneLineExit70AndTheStackTraceIsInTheLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("run.log");
        Logging.configure(log, false);
        CommandLine cli = Main.commandLine();
        cli.addSubcommand("boom", new Boom());

        assertThat(cli.execute("boom")).isEqualTo(70);

        String stderr = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(stderr.lines().count()).as(stderr).isEqualTo(1);
        assertThat(stderr).startsWith("internal error: IllegalArgumentException: index 7 out of range")
                .contains(log.toAbsolutePath().toString()).doesNotContain("\tat ").doesNotContain("for length 3");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Files.readString(log)).contains("internal error").contains("java.lang.IllegalArgumentException")
                .contains("\tat org.anynas.cli.InternalErrorTest$Boom.call");
    }

    @Test
    void withoutARunLogTheErrorGoesToAFileItNames() throws Exception {
        Logging.configure(null, false);
        CommandLine cli = Main.commandLine();
        cli.addSubcommand("boom", new Boom());

        assertThat(cli.execute("boom")).isEqualTo(70);

        String stderr = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(stderr.lines().count()).as(stderr).isEqualTo(1);
        Path named = Path.of(stderr.substring(stderr.indexOf("stack trace is in ") + "stack trace is in ".length()));
        assertThat(Files.readString(named)).contains("\tat org.anynas.cli.InternalErrorTest$Boom.call");
    }
}
