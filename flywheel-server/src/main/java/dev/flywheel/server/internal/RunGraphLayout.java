package dev.flywheel.server.internal;

import dev.flywheel.runtime.Runs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Places a run's steps in columns by depth (longest path from a step without inputs), in the order they ran. */
final class RunGraphLayout {
    static final int BOX_WIDTH = 170;
    static final int BOX_HEIGHT = 40;
    private static final int COLUMN = 220;
    private static final int ROW = 64;
    private static final int MARGIN = 10;

    private RunGraphLayout() {
    }

    static Pages.Graph of(RunViews.Detail run) {
        Map<String, Integer> depth = new HashMap<>();
        run.steps().forEach(s -> depth.put(s.name(), 0));
        // Longest path by relaxation: at most one pass per step, since a run's graph has no cycles.
        for (int pass = 0; pass < run.steps().size(); pass++) {
            boolean changed = false;
            for (Runs.RunDescription.Edge e : run.edges()) {
                int want = depth.getOrDefault(e.from(), 0) + 1;
                if (depth.getOrDefault(e.to(), 0) < want) {
                    depth.put(e.to(), want);
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        Map<Integer, Integer> rowsInColumn = new HashMap<>();
        Map<String, Pages.Node> nodes = new HashMap<>();
        List<Pages.Node> ordered = new ArrayList<>();
        int maxRow = 0;
        int maxCol = 0;
        for (RunViews.StepView s : run.steps()) {
            int col = depth.get(s.name());
            int row = rowsInColumn.merge(col, 1, Integer::sum) - 1;
            Pages.Node n = new Pages.Node(s.name(), Show.lower(s.status()), MARGIN + col * COLUMN, MARGIN + row * ROW);
            nodes.put(s.name(), n);
            ordered.add(n);
            maxRow = Math.max(maxRow, row);
            maxCol = Math.max(maxCol, col);
        }
        List<Pages.Arrow> arrows = new ArrayList<>();
        for (Runs.RunDescription.Edge e : run.edges()) {
            Pages.Node a = nodes.get(e.from());
            Pages.Node b = nodes.get(e.to());
            if (a != null && b != null) {
                arrows.add(new Pages.Arrow(a.x() + BOX_WIDTH, a.y() + BOX_HEIGHT / 2, b.x() - 4, b.y() + BOX_HEIGHT / 2));
            }
        }
        return new Pages.Graph(ordered, arrows.stream().distinct().toList(), 2 * MARGIN + maxCol * COLUMN + BOX_WIDTH,
                2 * MARGIN + maxRow * ROW + BOX_HEIGHT);
    }
}
