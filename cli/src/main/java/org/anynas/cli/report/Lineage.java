package org.anynas.cli.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A candidate's ancestry through its first parents, oldest first, with the gene edit that made each step. */
record Lineage(List<Step> steps) {

    /** One ancestor: how it came about and which genes differ from its first parent. */
    record Step(Point point, String edit) {
    }

    static Lineage of(Point best, List<Point> campaign) {
        Map<Long, Point> byId = campaign.stream().collect(Collectors.toMap(Point::id, Function.identity(), (a, b) -> a));
        List<Step> steps = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (Point p = best; p != null && seen.add(p.id()); ) {
            Point parent = p.parent1() == null ? null : byId.get(p.parent1());
            steps.add(new Step(p, edit(p, parent)));
            p = parent;
        }
        Collections.reverse(steps);
        return new Lineage(steps);
    }

    static String edit(Point child, Point parent) {
        if (parent == null) {
            return child.parent1() == null ? child.origin() + " (no parent)" : "parent " + child.parent1() + " not in this campaign";
        }
        List<String> changes = new ArrayList<>();
        for (String g : Snapshot.geneColumns()) {
            Object a = parent.genes().get(g);
            Object b = child.genes().get(g);
            if (!Objects.equals(a == null ? null : GeneImportance.label(a), b == null ? null : GeneImportance.label(b))) {
                changes.add(g + " " + (a == null ? "–" : GeneImportance.label(a)) + "→" + (b == null ? "–" : GeneImportance.label(b)));
            }
        }
        String how = child.origin() + (child.parent2() != null ? " of #" + child.parent1() + " and #" + child.parent2() : " of #" + child.parent1());
        return how + ": " + (changes.isEmpty() ? "same network" : String.join(", ", changes));
    }
}
