package dev.flywheel.daemon;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The end of a daemon's log, read without loading the whole file: what a user needs to see when a daemon failed.
 */
public final class LogTail {
    /** Logs are read back this far at most: the reason a daemon gave is in its last lines. */
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    /** The last {@code n} lines of {@code log}; empty when there is no such file. */
    public static List<String> lastLines(Path log, int n) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            if (size < length && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size()); // the first one is cut
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The last {@code n} lines as one text, or a note saying the log cannot be read. */
    public static String text(Path log, int n) {
        List<String> lines = lastLines(log, n);
        return lines.isEmpty() ? "(the log " + log + " is empty or cannot be read)" : String.join("\n", lines);
    }

    /**
     * What the last line starting with {@code prefix} says after the prefix (for example the {@code error: ...} line a
     * process wrote before exiting), among the last {@code within} lines.
     */
    public static Optional<String> lastLineStartingWith(Path log, String prefix, int within) {
        List<String> lines = lastLines(log, within);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return Optional.of(lines.get(i).substring(prefix.length()));
            }
        }
        return Optional.empty();
    }
}
