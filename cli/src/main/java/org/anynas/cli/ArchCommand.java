package org.anynas.cli;

import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.GraphDot;
import org.anynas.space.GraphTable;
import org.anynas.space.Json;
import org.anynas.space.OpGraphJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "arch", description = "Inspect an architecture JSON file.", subcommands = {ArchCommand.Summary.class, ArchCommand.Dot.class, ArchCommand.Graph.class})
final class ArchCommand extends CommandGroup {

    @Command(name = "summary", description = "Layer table: node, op, output shape, params, MACs; totals.")
    static final class Summary implements Callable<Integer> {
        @Parameters(paramLabel = "ARCH.json")
        Path file;

        @Override
        public Integer call() {
            Architecture a = ArchitectureJson.read(file);
            System.out.println(a.oneLine());
            System.out.println("hash " + ArchitectureJson.hash(a));
            System.out.println();
            System.out.print(GraphTable.render(a.graph()));
            return 0;
        }
    }

    @Command(name = "dot", description = "Graphviz DOT of the op graph (render with: dot -Tpng).")
    static final class Dot implements Callable<Integer> {
        @Parameters(paramLabel = "ARCH.json")
        Path file;

        @Override
        public Integer call() {
            Architecture a = ArchitectureJson.read(file);
            System.out.print(GraphDot.render(a.graph(), a.oneLine()));
            return 0;
        }
    }

    @Command(name = "graph", description = "The op graph as JSON, as the PyTorch worker receives it and builds its network from.")
    static final class Graph implements Callable<Integer> {
        @Parameters(paramLabel = "ARCH.json")
        Path file;

        @Override
        public Integer call() throws Exception {
            Architecture a = ArchitectureJson.read(file);
            System.out.println(Json.json().writeValueAsString(OpGraphJson.tree(a.graph())));
            return 0;
        }
    }
}
