package dev.flywheel.testkit;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared test data that is not in the repository (the UCI bike-sharing hourly CSV), so every test and
 * benchmark looks in the same place, and tests that need it are skipped with a message saying what is missing when it
 * is absent (a fresh clone), instead of failing.
 *
 * <p>Where: the folder named by the system property {@value #PROPERTY} when it is set (and then only there, so
 * {@code -Dflywheel.shared.data=/nowhere} shows what the suite does without the data); otherwise the nearest
 * {@code shared/data} folder in the working folder or a folder above it (a checkout at {@code /work/main} finds
 * {@code /work/shared/data}).
 */
public final class SharedData {
    /** The system property naming the data folder; the root pom passes {@code -Dflywheel.shared.data} on to tests. */
    public static final String PROPERTY = "flywheel.shared.data";
    private static final Path BIKE_SHARING_HOURS = Path.of("bike-sharing", "hour.csv");

    private SharedData() {
    }

    /** The data folder, or empty when there is none. */
    public static Optional<Path> folder() {
        String named = System.getProperty(PROPERTY);
        if (named != null && !named.isBlank()) {
            Path dir = Path.of(named).toAbsolutePath().normalize();
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code bike-sharing/hour.csv} (17,379 hourly rows of 2011-2012), or empty when it is not there. */
    public static Optional<Path> bikeSharingHours() {
        return folder().map(dir -> dir.resolve(BIKE_SHARING_HOURS)).filter(Files::isRegularFile);
    }

    /**
     * The bike-sharing CSV for a test that needs it; when it is missing, the calling test (or the whole class, from a
     * {@code @BeforeAll}) is skipped, saying what is missing and how to provide it.
     */
    public static Path requireBikeSharingHours() {
        Optional<Path> file = bikeSharingHours();
        Assumptions.assumeTrue(file.isPresent(), SharedData::whatIsMissing);
        return file.orElseThrow();
    }

    /** The same file for a benchmark or tool: an {@link IllegalStateException} saying what is missing when absent. */
    public static Path bikeSharingHoursOrFail() {
        return bikeSharingHours().orElseThrow(() -> new IllegalStateException(whatIsMissing()));
    }

    /** What is missing and how to provide it. */
    public static String whatIsMissing() {
        String named = System.getProperty(PROPERTY);
        String where = named != null && !named.isBlank()
                ? "in " + Path.of(named).toAbsolutePath().normalize() + " (-D" + PROPERTY + ")"
                : "in any shared/data folder at or above " + Path.of("").toAbsolutePath();
        return "needs the bike-sharing data, " + BIKE_SHARING_HOURS + " " + where
                + "; put the UCI bike-sharing hour.csv there or pass -D" + PROPERTY + "=DIR";
    }
}
