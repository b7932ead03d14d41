package org.anynas.db;

import org.anynas.db.Pareto.Objective;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParetoTest {
    record P(String name, double acc, double cost, double speed) {
    }

    @Test
    void keepsTheNonDominatedInInputOrderWithTiesAndDirections() {
        List<P> points = List.of(new P("a", 0.9, 100, 1), new P("b", 0.8, 50, 1), new P("c", 0.8, 60, 1),
                new P("d", 0.7, 50, 1), new P("e", 0.9, 100, 1), new P("f", 0.95, Double.NaN, 1), new P("g", 0.5, 10, 1));
        // c costs more than b at the same accuracy, d is less accurate at b's cost; a and e are equal: both stay;
        // f has no measured cost: left out, and it pushes nobody off
        assertThat(Pareto.front(points, Objective.max(P::acc), Objective.min(P::cost))).extracting(P::name)
                .containsExactly("a", "b", "e", "g");
        // directions turned round: the cheapest is now the worst
        assertThat(Pareto.front(points, Objective.min(P::acc), Objective.max(P::cost))).extracting(P::name)
                .containsExactly("a", "c", "d", "e", "g");
        assertThatThrownBy(() -> Pareto.front(points, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void agreesWithTheDefinitionOnRandomPointsInThreeObjectives() {
        Random random = new Random(3);
        for (int round = 0; round < 50; round++) {
            List<P> points = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                // few distinct values, so that ties (and -0.0 against 0.0) happen
                points.add(new P("p" + i, random.nextInt(6) / 5.0, random.nextInt(5) * (random.nextBoolean() ? 0.0 : 1.0),
                        random.nextInt(4) - 0.0));
            }
            List<Objective<P>> objectives = List.of(Objective.max(P::acc), Objective.min(P::cost), Objective.max(P::speed));
            List<P> expected = points.stream().filter(p -> points.stream().noneMatch(q -> q.acc() >= p.acc()
                    && q.cost() <= p.cost() && q.speed() >= p.speed()
                    && (q.acc() > p.acc() || q.cost() < p.cost() || q.speed() > p.speed()))).toList();
            assertThat(Pareto.front(points, objectives)).containsExactlyElementsOf(expected);
        }
    }
}
