package org.anynas.cli;

import org.anynas.db.StoreException;
import org.anynas.evaluator.ModelExport;
import org.anynas.evaluator.onnx.OnnxRuntimeModel;
import org.anynas.evaluator.data.DatasetException;
import org.anynas.space.InvalidArchitectureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code ./nas}: the AnyNAS command line. */
@Command(name = "nas", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "AnyNAS 0.1.0",
        description = "Neural architecture search for small CNNs: search, inspect and export architectures.",
        subcommands = {QuickstartCommand.class, SearchCommand.class, DbCommand.class, ExportCommand.class, TrainCommand.class, PredictCommand.class, SpaceCommand.class,
                ArchCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line; returns the exit code (0 ok, 1 internal error, 2 bad input). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            Throwable user = userError(e);
            if (user != null) {
                org.slf4j.LoggerFactory.getLogger(Main.class).info("user error", e);
                err.println("error: " + user.getMessage());
                err.flush();
                return 2;
            }
            org.slf4j.LoggerFactory.getLogger(Main.class).error("internal error", e);
            err.println("internal error: " + e + " (details in the run's log file; rerun with --verbose to see them)");
            err.flush();
            return 1;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage() + " (see: ./nas " + e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^nas ", "") + " --help)");
            err.flush();
            return 2;
        });
        return cli.execute(args);
    }

    private static Throwable userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserError || t instanceof IllegalArgumentException || t instanceof DatasetException
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
