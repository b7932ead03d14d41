package org.anynas.cli;

import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.DesignSpace;
import org.anynas.space.Genome;
import org.anynas.space.GraphTable;
import org.anynas.space.InputFit;
import org.anynas.space.OpGraph;
import org.anynas.space.Sampler;
import org.anynas.space.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "space", description = "Inspect and compare design spaces: built-in (chain, anynet, multibranch, anynetx-a … anynetx-e, regnet) or YAML files.",
        subcommands = {SpaceCommand.Describe.class, SpaceCommand.Sample.class, SpaceCompareCommand.class})
final class SpaceCommand extends CommandGroup {

    /** Input shape and classes a layout is built for. */
    static class InputOptions {
        @Option(names = "--input", defaultValue = "1x28x28", paramLabel = "CxHxW", description = "Input shape (default: ${DEFAULT-VALUE}).")
        String input;

        @Option(names = "--classes", defaultValue = "10", description = "Number of classes (default: ${DEFAULT-VALUE}).")
        int classes;

        Shape shape() {
            String[] p = input.toLowerCase(Locale.ROOT).split("x");
            try {
                if (p.length != 3) throw new NumberFormatException();
                return Shape.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            } catch (IllegalArgumentException e) {
                throw new UserError("--input must look like 1x28x28 (channels x height x width), got '" + input + "'");
            }
        }
    }

    @Command(name = "describe", description = "Genes, choices, size of the space and budgets.")
    static final class Describe extends InputOptions implements Callable<Integer> {
        @Parameters(paramLabel = "SPACE", description = "Built-in name or design-space YAML file.")
        String space;

        @Override
        public Integer call() {
            DesignSpace s = DesignSpace.load(space);
            Genome layout = s.genome(shape(), classes);
            System.out.printf("Design space %s: %d–%d stages, %d genes, about 10^%.1f networks%n", s.name(), s.minStages(),
                    s.maxStages(), layout.length(), layout.log10Size());
            Table t = new Table("gene", "choices");
            t.row("stem width", s.stemWidths()).row("stem kernel", s.stemKernels()).row("stem stride", s.stemStrides())
                    .row("activation", keys(s.activations())).row("head layers", s.headLayers())
                    .row("head width", s.headWidths()).row("dropout", s.dropouts())
                    .row("stage block", keys(s.blocks()));
            if (s.perStage()) {
                t.row("stage depth", s.depths()).row("stage width", s.widths());
            } else {
                t.row("regnet d (blocks)", s.regnet().depths()).row("regnet w_0", s.regnet().w0())
                        .row("regnet w_a", s.regnet().wa()).row("regnet w_m", s.regnet().wm());
            }
            t.row("stage kernel", s.kernels()).row("stage bottleneck", s.bottlenecks());
            if (s.groupWidths() != null) t.row("stage group width", s.groupWidths());
            t.row("stage depthwise", s.depthwise()).row("stage SE ratio", s.se())
                    .row("stage downsample", keys(s.downsamples()));
            t.print(System.out, Table.Format.TABLE);
            System.out.printf("constraints: shared bottleneck %s, shared group width %s, non-decreasing widths %s, "
                            + "non-decreasing depths %s%n", s.constraints().sharedBottleneck(), s.constraints().sharedGroupWidth(),
                    s.constraints().nonDecreasingWidths(), s.constraints().nonDecreasingDepths());
            if (!s.perStage()) {
                System.out.println("stages: from the regnet rule (widths w_0 + w_a·j quantized on a log scale of step w_m), "
                        + "each halving the map while it is at least " + InputFit.MIN_SIDE_TO_HALVE + " px");
            }
            System.out.printf("budget: max params %s, max MACs %s (stated for %d×%d)%n", limit(s.budget().maxParams()),
                    limit(s.budget().maxMacs()), InputFit.REFERENCE, InputFit.REFERENCE);
            System.out.printf("input %s: %s; budget here: max params %s, max MACs %s%n", layout.input(), layout.fit().describe(),
                    limit(layout.budget().maxParams()), limit(layout.budget().maxMacs()));
            return 0;
        }

        private static String limit(long v) {
            return v == 0 ? "unlimited" : String.format(Locale.ROOT, "%,d", v);
        }

        private static List<String> keys(List<? extends Enum<?>> values) {
            return values.stream().map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
        }
    }

    @Command(name = "sample", description = "Seeded uniform samples of valid, within-budget architectures, as JSON.")
    static final class Sample extends InputOptions implements Callable<Integer> {
        @Parameters(paramLabel = "SPACE", description = "Built-in name or design-space YAML file.")
        String space;

        @Option(names = "-n", defaultValue = "5", description = "How many (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            if (n < 1) throw new UserError("-n must be >= 1, got " + n);
            Genome layout = DesignSpace.load(space).genome(shape(), classes);
            Sampler sampler = Sampler.of(layout);
            Random random = new Random(seed);
            for (int i = 0; i < n; i++) {
                Architecture a = layout.decode(sampler.sample(random, 100_000));
                OpGraph g = a.graph();
                System.out.printf("# %d: %s | %s params, %s MACs, hash %s%n", i + 1, a.oneLine(), GraphTable.human(g.params()),
                        GraphTable.human(g.macs()), ArchitectureJson.hash(a));
                System.out.println(ArchitectureJson.write(a));
            }
            System.out.printf("# %d draws rejected (invalid or over budget)%n", sampler.rejected());
            return 0;
        }
    }
}
