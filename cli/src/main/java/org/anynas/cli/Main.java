package org.anynas.cli;

import org.anynas.db.StoreException;
import org.anynas.dl4j.ModelExport;
import org.anynas.dl4j.onnx.OnnxRuntimeModel;
import org.anynas.data.DatasetException;
import org.anynas.space.InvalidArchitectureException;
import org.anynas.space.UserInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code ./nas}: the AnyNAS command line. */
@Command(name = "nas", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "AnyNAS 0.1.0",
        description = "Neural architecture search for small CNNs: search, inspect and export architectures.",
        subcommands = {QuickstartCommand.class, SearchCommand.class, ReportCommand.class, DbCommand.class, ExportCommand.class, TrainCommand.class, PredictCommand.class, SpaceCommand.class, DoctorCommand.class, CacheCommand.class,
                ArchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (LinkageError e) { // picocli passes Errors on: a class missing from the installation, not the input
            System.err.println("internal error: " + e + (e.getCause() == null ? "" : " (" + e.getCause() + ")")
                    + "; the installation lacks a library (rebuild with ./nas or mvn -B package)");
            code = INTERNAL_ERROR;
        }
        System.exit(code);
    }

    /** EX_SOFTWARE (sysexits.h): an internal error, a bug in AnyNAS rather than a problem with the input. */
    static final int INTERNAL_ERROR = 70;

    /** Runs a command line; returns the exit code (0 ok, 2 bad input, 70 internal error, 130 interrupted). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line with its error handling, before it runs: the built-in commands and those of every
     * {@link CommandPlugin} on the class path (the benchmarks, which the product jar does not hold).
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        for (CommandPlugin p : java.util.ServiceLoader.load(CommandPlugin.class)) cli.addSubcommand(p.command());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            Throwable user = userError(e);
            if (user != null) {
                org.slf4j.LoggerFactory.getLogger(Main.class).info("user error", e);
                err.println("error: " + user.getMessage());
                err.flush();
                return 2;
            }
            // a bug: the stack trace goes to the log, the user gets one line saying where it is
            if (Logging.file() == null) Logging.configure(fallbackLog(), false);
            org.slf4j.LoggerFactory.getLogger(Main.class).error("internal error", e);
            String where = Logging.file() != null ? Logging.file().toString() : "(no log file could be written)";
            err.println("internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage().lines().findFirst().orElse("")) + "; this is a bug in AnyNAS, the stack trace is in " + where);
            err.flush();
            return INTERNAL_ERROR;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage() + " (see: ./nas " + e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^nas ", "") + " --help)");
            err.flush();
            return 2;
        });
        return cli;
    }

    /** For commands that have no run log (db, space, arch): one file per user in the temporary directory. */
    private static java.nio.file.Path fallbackLog() {
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "anynas-" + System.getProperty("user.name") + ".log");
    }

    /** Only the exceptions that describe a problem with the input are user errors; anything else is a bug. */
    private static Throwable userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserError || t instanceof UserInputException || t instanceof DatasetException
                    || t instanceof StoreException || t instanceof InvalidArchitectureException
                    || t instanceof ModelExport.ExportException || t instanceof OnnxRuntimeModel.OnnxModelException) {
                return t;
            }
        }
        return null;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
