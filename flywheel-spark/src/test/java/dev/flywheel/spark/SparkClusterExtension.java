package dev.flywheel.spark;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One real Spark standalone cluster (a Master and two Workers, 1 core and 512m each, on loopback) for all the
 * module's tests that take a {@link LocalSparkCluster} parameter: started on first use, stopped when the test plan
 * ends (JUnit closes root-store resources), so the module pays the start-up once.
 */
public final class SparkClusterExtension implements ParameterResolver {
    static final Path TARGET = Path.of("target").toAbsolutePath();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalSparkCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("spark-cluster", k -> new Holder(), Holder.class).cluster;
    }

    /** The Spark installation assembled from the test class path (Maven artifacts). */
    public static SparkHome home() {
        List<String> cp = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        return SparkHome.assemble(TARGET.resolve("spark"), cp);
    }

    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        final LocalSparkCluster cluster = LocalSparkCluster.start(home(),
                LocalSparkCluster.Options.small(2, TARGET.resolve("spark-cluster-" + ProcessHandle.current().pid())));

        @Override
        public void close() {
            cluster.close();
        }
    }
}
