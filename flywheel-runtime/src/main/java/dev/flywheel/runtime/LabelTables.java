package dev.flywheel.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.References;
import dev.flywheel.store.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What Flywheel remembers of each label table a model's labels come from: the table (password as a reference only),
 * the watermark read up to, when it was last read, and how often the scheduler reads it again. One owner-only JSON
 * file per model and table ({@code labels/MODEL/table-HASH.json}), replaced atomically after the labels of a read are
 * kept: a crash between the two re-reads rows that are then skipped as already kept, so nothing is imported twice.
 */
final class LabelTables {
    private static final Logger log = LoggerFactory.getLogger(LabelTables.class);
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** One table's memory. {@code pollEvery} null: read only when asked. */
    record State(LabelTable table, JdbcLabelReader.Watermark watermark, Instant lastRead, Duration pollEvery) {
    }

    private final GroundTruth labels;
    private final References.Resolver passwords;
    private final Clock clock;

    LabelTables(GroundTruth labels, References.Resolver passwords, Clock clock) {
        this.labels = labels;
        this.passwords = passwords;
        this.clock = clock;
    }

    /**
     * Reads {@code table}'s new labels for {@code model} and keeps them. {@code pollEvery}: null keeps what was set
     * before, zero stops the scheduler's reads, positive sets their interval.
     */
    synchronized LabelImport read(String model, LabelTable table, Duration pollEvery) {
        if (pollEvery != null && (pollEvery.isNegative() || (!pollEvery.isZero() && pollEvery.compareTo(Duration.ofSeconds(1)) < 0))) {
            throw FlywheelException.invalid("--poll-every must be at least 1s (or 0 to stop polling), got " + pollEvery);
        }
        Path file = file(model, table);
        State before = load(file);
        JdbcLabelReader.Watermark after = before == null || !sameColumns(before.table(), table) ? null : before.watermark();
        String password = table.password() == null ? null : References.resolve(table.password(), passwords);
        JdbcLabelReader.Read r = JdbcLabelReader.read(table, password, after, labels.read(model));
        labels.keep(model, r.rows());
        Duration every = pollEvery != null ? (pollEvery.isZero() ? null : pollEvery) : before == null ? null : before.pollEvery();
        save(file, new State(table, r.watermark(), clock.instant(), every));
        if (!r.rows().isEmpty()) {
            log.info("labels read: model={} source=\"{}\" added={}", model, table.where(), r.rows().size());
        }
        return new LabelImport(model, table.where(), r.read(), r.rows().size(), r.alreadyKept(), r.notLabelled(),
                r.watermark() == null ? null : r.watermark().value(), every);
    }

    /**
     * Reads every table of {@code model} whose poll interval has passed; a table that cannot be read is logged (WARN)
     * and tried again next time, so one bad source never stops the others or what asked.
     */
    List<LabelImport> pollDue(String model) {
        List<LabelImport> out = new ArrayList<>();
        Instant now = clock.instant();
        for (State s : states(model)) {
            if (s.pollEvery() == null || s.lastRead() != null && s.lastRead().plus(s.pollEvery()).isAfter(now)) {
                continue;
            }
            try {
                out.add(read(model, s.table(), null));
            } catch (FlywheelException e) {
                log.warn("label table not read: model={} source=\"{}\" reason={}", model, s.table().where(), e.getMessage());
            }
        }
        return out;
    }

    /** The tables {@code model}'s labels come from, with what was read of them. */
    List<State> states(String model) {
        Path folder = labels.folder(model);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<State> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("table-[0-9a-f]+\\.json")).sorted().toList()) {
                State s = load(f);
                if (s != null) {
                    out.add(s);
                }
            }
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot list the label tables in " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Changing which columns are read starts again from the beginning (and skips what is already kept). */
    private static boolean sameColumns(LabelTable a, LabelTable b) {
        return java.util.Objects.equals(a.watermarkColumn(), b.watermarkColumn()) && a.labelColumn().equals(b.labelColumn())
                && java.util.Objects.equals(a.rowColumn(), b.rowColumn());
    }

    private Path file(String model, LabelTable t) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((t.url() + "\n" + t.table() + "\n" + t.idColumn())
                    .getBytes(StandardCharsets.UTF_8));
            return labels.folder(model).resolve("table-" + HexFormat.of().formatHex(h, 0, 8) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static State load(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            log.warn("skipping an unreadable label table file {}: {}", file, e.getMessage());
            return null;
        }
    }

    private static void save(Path file, State s) {
        try {
            PrivateFiles.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            PrivateFiles.createFile(tmp);
            Files.writeString(tmp, JSON.writeValueAsString(s), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot remember what was read of the label table in " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
