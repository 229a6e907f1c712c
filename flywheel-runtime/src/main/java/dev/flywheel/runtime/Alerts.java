package dev.flywheel.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.AlertDelivery;
import dev.flywheel.sdk.alert.Alerter;
import dev.flywheel.store.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The alerts of a project: posted through the active stack's alerter, each delivery (delivered or not) recorded as one
 * JSON line of {@code .flywheel/alerts/deliveries.jsonl} (0600), which {@code flywheel alerts list} reads. Processes
 * (the CLI, the scheduler daemon, a pipeline's steps) append under a file lock, so lines never interleave.
 */
public final class Alerts {
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** The alerter a stack gives, and its component's name. */
    record Named(String name, Alerter alerter) {
    }

    private final Path file;
    private final Supplier<Named> alerter;
    private final Clock clock;

    Alerts(Path folder, Supplier<Named> alerter, Clock clock) {
        this.file = folder.resolve("deliveries.jsonl");
        this.alerter = alerter;
        this.clock = clock;
    }

    /**
     * Posts {@code alert} through the stack's alerter and records the delivery; never throws (an alert must not fail
     * what raised it): a stack without an alerter, or one that cannot be built, is a failed delivery saying why.
     */
    public AlertDelivery post(Alert alert) {
        String name = "-";
        AlertDelivery delivery;
        try {
            Named n = alerter.get();
            name = n.name();
            delivery = n.alerter().post(alert);
        } catch (RuntimeException e) {
            delivery = AlertDelivery.failed("no alerter could be used: " + e.getMessage());
        }
        record(new AlertRecord(clock.instant(), name, alert.severity().name().toLowerCase(Locale.ROOT), alert.title(), alert.text(),
                alert.details(), delivery.delivered(), delivery.detail()));
        return delivery;
    }

    /** {@link #post} as an {@link Alerter}: what steps and the scheduler are given, so their alerts are recorded too. */
    public Alerter recording() {
        return this::post;
    }

    /**
     * The newest {@code limit} deliveries, newest first.
     *
     * @throws FlywheelException UNAVAILABLE when the file cannot be read
     */
    public List<AlertRecord> list(int limit) {
        if (limit < 1) {
            throw FlywheelException.invalid("--limit must be at least 1, got " + limit);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        List<AlertRecord> out = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0 && out.size() < limit; i--) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readValue(line, AlertRecord.class));
            } catch (IOException e) {
                log.warn("skipping an unreadable line {} of {}", i + 1, file); // a torn last line of a killed writer
            }
        }
        return out;
    }

    private void record(AlertRecord r) {
        try {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.createFile(file);
            byte[] line = (JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8);
            // threads of this JVM take turns here: a second FileLock on the same file in one JVM would throw
            synchronized (Alerts.class) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                     FileLock ignored = ch.lock()) {
                    ByteBuffer b = ByteBuffer.wrap(line);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not record an alert delivery in {}: {}", file, e.getMessage());
        }
    }
}
