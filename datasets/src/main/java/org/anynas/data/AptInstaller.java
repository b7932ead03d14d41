package org.anynas.data;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The last resort for a dataset on a fresh machine: Debian's package of it, installed with apt-get when this
 * process may (root, or passwordless sudo). Only Fashion-MNIST is packaged ({@code dataset-fashion-mnist},
 * into /usr/share/datasets/fashion-mnist); Debian has no MNIST or CIFAR-10 package.
 */
public final class AptInstaller {

    /** Runs a command, returning its exit code and output; -1 if it cannot be started. Tests inject their own. */
    @FunctionalInterface
    public interface Commands {
        Result run(List<String> command);
    }

    public record Result(int exit, String output) {
    }

    /** How the dataset could be installed here, or why it cannot. */
    public record Plan(String pkg, List<List<String>> commands, String whyNot) {
        public boolean possible() {
            return whyNot == null;
        }
    }

    private final Map<String, String> env;
    private final Commands commands;
    private final Consumer<String> say;

    private AptInstaller(Map<String, String> env, Commands commands, Consumer<String> say) {
        this.env = env;
        this.commands = commands;
        this.say = say;
    }

    /** This machine: real commands, one line on stderr before installing. */
    public static AptInstaller system() {
        return new AptInstaller(System.getenv(), AptInstaller::exec, System.err::println);
    }

    public static AptInstaller of(Map<String, String> env, Commands commands, Consumer<String> say) {
        return new AptInstaller(env, commands, say);
    }

    /** Debian's package of the dataset, if there is one. */
    public static Optional<String> debianPackage(KnownDataset dataset) {
        return dataset == KnownDataset.FASHION_MNIST ? Optional.of("dataset-fashion-mnist") : Optional.empty();
    }

    public Plan plan(KnownDataset dataset) {
        Optional<String> pkg = debianPackage(dataset);
        if (pkg.isEmpty()) return new Plan(null, List.of(), "Debian has no package of " + dataset.key());
        if (onPath("apt-get").isEmpty()) return new Plan(pkg.get(), List.of(), "no apt-get on this machine");
        List<String> prefix;
        if (commands.run(List.of("id", "-u")).output().strip().equals("0")) {
            prefix = List.of();
        } else if (onPath("sudo").isPresent() && commands.run(List.of("sudo", "-n", "true")).exit() == 0) {
            prefix = List.of("sudo", "-n");
        } else {
            return new Plan(pkg.get(), List.of(), "installing it needs root or passwordless sudo");
        }
        // a fresh machine (or container image) often has no package lists yet, so update first
        List<String> update = new ArrayList<>(prefix);
        update.addAll(List.of("apt-get", "update", "-qq"));
        List<String> install = new ArrayList<>(prefix);
        install.addAll(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", pkg.get()));
        return new Plan(pkg.get(), List.of(update, install), null);
    }

    /** Runs the plan; returns null when it succeeded, otherwise what went wrong (one line). */
    public String install(KnownDataset dataset, Plan plan) {
        say.accept("Installing Debian's " + plan.pkg() + " for " + dataset.key() + " (not found and not downloadable): "
                + String.join(" ", plan.commands().get(plan.commands().size() - 1)));
        for (List<String> c : plan.commands()) {
            Result r = commands.run(c);
            if (r.exit() != 0) {
                String last = r.output().strip().lines().reduce((a, b) -> b).orElse("");
                return String.join(" ", c) + " failed (exit " + r.exit() + (last.isEmpty() ? ")" : ": " + last + ")");
            }
        }
        return null;
    }

    private Optional<Path> onPath(String program) {
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
