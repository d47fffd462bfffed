package org.xp2p.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one JMH benchmark class with settings sized for a two-core machine and turns the
 * results into a {@link ResultTable}. {@code quick} (used by the smoke test) measures just
 * enough to prove the benchmark runs; its figures mean nothing.
 */
public final class JmhRun {
    private JmhRun() {
    }

    public static ResultTable run(Class<?> benchmark, String title, boolean quick) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(benchmark.getName() + "\\.")
                .forks(quick ? 0 : 1)
                .threads(1)
                .warmupIterations(quick ? 1 : 5)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 1 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(options.build()).run();
        ResultTable table = null;
        for (RunResult r : results) {
            var primary = r.getPrimaryResult();
            if (table == null) {
                table = new ResultTable(title, primary.getScoreUnit(), true);
            }
            String method = r.getParams().getBenchmark();
            String name = method.substring(method.lastIndexOf('.') + 1);
            String params = r.getParams().getParamsKeys().stream()
                    .map(k -> k + "=" + r.getParams().getParam(k)).reduce((a, b) -> a + " " + b).orElse("");
            table.add(params.isEmpty() ? name : name + " " + params, primary.getScore(), primary.getScoreError(), "");
        }
        if (table == null) {
            throw new IllegalStateException("JMH ran no benchmark of " + benchmark.getName());
        }
        return table;
    }
}
