package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.CiReport;
import dev.flywheel.runtime.CiReportMarkdown;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a report's Markdown and JSON files whole (temporary name, then rename), so CI never posts half of one. */
final class ReportFiles {
    private ReportFiles() {
    }

    static void write(Path markdown, Path json, CiReport report) {
        if (markdown != null) {
            write(markdown, CiReportMarkdown.render(report));
        }
        if (json != null) {
            write(json, Json.text(report));
        }
    }

    private static void write(Path file, String text) {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the message below is what matters
            }
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "Cannot write the report to " + target + ": " + e.getMessage()
                    + "; choose a writable path");
        }
    }
}
