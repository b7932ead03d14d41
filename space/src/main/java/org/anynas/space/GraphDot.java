package org.anynas.space;

/** Graphviz DOT of an op graph: one box per node (name, op, output shape), edges from its inputs. */
public final class GraphDot {
    private GraphDot() {
    }

    public static String render(OpGraph g, String title) {
        StringBuilder sb = new StringBuilder("digraph \"").append(escape(title)).append("\" {\n");
        sb.append("  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n");
        sb.append("  \"input\" [label=\"input\\n").append(g.input()).append("\", shape=oval];\n");
        for (LayerStats s : g.layers()) {
            Node n = s.node();
            sb.append("  \"").append(escape(n.name())).append("\" [label=\"").append(escape(n.name())).append("\\n")
                    .append(escape(g.kind(n))).append(" ").append(s.output());
            if (s.params() > 0) sb.append("\\n").append(GraphTable.human(s.params())).append(" params");
            sb.append("\"];\n");
            for (String in : n.inputs()) {
                sb.append("  \"").append(escape(in)).append("\" -> \"").append(escape(n.name())).append("\";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
