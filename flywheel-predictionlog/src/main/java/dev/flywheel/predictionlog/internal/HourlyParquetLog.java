package dev.flywheel.predictionlog.internal;

import dev.flywheel.predictionlog.PredictionEvent;
import dev.flywheel.predictionlog.PredictionLog;
import dev.flywheel.predictionlog.PredictionLogSettings;
import dev.flywheel.predictionlog.PredictionLogStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The prediction log: request threads only sample and offer to a bounded queue; one writer thread appends to the
 * current hour's {@link Journal} (written to the OS at least every flush interval, forced to disk every second);
 * at the hour's end, on a new served version, and on close the journal is sealed into Parquet by a second thread,
 * which also compacts finished hours and, at start, seals what a killed server left.
 */
public final class HourlyParquetLog implements PredictionLog {
    private static final Logger log = LoggerFactory.getLogger(HourlyParquetLog.class);
    private static final int FLUSH_BYTES = 256 * 1024;
    private static final long FORCE_NANOS = 1_000_000_000L;
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final PredictionLogSettings settings;
    private final ArrayBlockingQueue<PredictionEvent> queue;
    private final String instance;
    /** How long the writer naps when the queue is empty: requests queue up meanwhile and are written in one go. */
    private static final Duration IDLE_PARK = Duration.ofMillis(2);
    /** How long without requests before the writer waits on the queue instead of napping. */
    private static final Duration IDLE_WAIT = Duration.ofMillis(200);
    private static final int BATCH = 4096;
    private final LongAdder offered = new LongAdder();
    private final LongAdder sampledOut = new LongAdder();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedRows = new AtomicLong();
    private final AtomicLong writtenRows = new AtomicLong();
    private final AtomicLong sealedFiles = new AtomicLong();
    private final Thread writer;
    private final ExecutorService sealer;
    private volatile boolean closing;
    private boolean closed;
    // Writer thread only:
    private Journal journal;
    private long sequence;
    private long dropsAtOpen;
    private long droppedRowsAtOpen;
    private long dropsWritten;
    private long droppedRowsWritten;
    private long lastFlush;
    private long lastForce;
    private long lastWarn;
    private long dropsWarned;

    public HourlyParquetLog(PredictionLogSettings settings) throws IOException {
        this.settings = settings;
        Files.createDirectories(settings.dir());
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.instance = ProcessHandle.current().pid() + "-" + Long.toString(System.currentTimeMillis(), 36);
        this.sealer = Executors.newSingleThreadExecutor(r -> daemon(r, "prediction-log-sealer"));
        sealer.submit(() -> {
            try {
                Sealer.recover(settings.dir(), settings.clock().instant());
            } catch (IOException | RuntimeException e) {
                log.warn("prediction log: could not seal what an earlier server left in {}: {}", settings.dir(), e.toString());
            }
        });
        this.writer = daemon(this::writeLoop, "prediction-log-writer");
        writer.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void record(PredictionEvent event) {
        offered.increment();
        double rate = settings.sampleRate();
        if (rate < 1 && ThreadLocalRandom.current().nextDouble() >= rate) {
            sampledOut.increment();
            return;
        }
        if (closing || !queue.offer(event)) {
            dropped.incrementAndGet();
            droppedRows.addAndGet(event.rows());
        }
    }

    @Override
    public PredictionLogStats stats() {
        return new PredictionLogStats(offered.sum(), sampledOut.sum(), dropped.get(), droppedRows.get(), writtenRows.get(),
                sealedFiles.get());
    }

    private void writeLoop() {
        long idleNanos = Math.min(IDLE_PARK.toNanos(), settings.flushInterval().toNanos() / 2);
        long pollMillis = Math.max(1, settings.flushInterval().toMillis() / 2);
        List<PredictionEvent> batch = new ArrayList<>(BATCH);
        lastFlush = System.nanoTime();
        lastForce = lastFlush;
        long idleSince = System.nanoTime();
        while (true) {
            if (queue.drainTo(batch, BATCH) == 0) {
                // while requests come, the writer naps instead of waiting on the queue: a waiting consumer is woken by
                // every offer, a thread switch per request when the writer keeps up (most of the time); once the
                // server has been idle for a while it waits on the queue and costs nothing
                if (System.nanoTime() - idleSince < IDLE_WAIT.toNanos()) {
                    LockSupport.parkNanos(idleNanos);
                } else {
                    try {
                        PredictionEvent first = queue.poll(pollMillis, TimeUnit.MILLISECONDS);
                        if (first != null) {
                            batch.add(first);
                        }
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
            }
            if (!batch.isEmpty()) {
                for (PredictionEvent e : batch) {
                    write(e);
                }
                batch.clear();
                idleSince = System.nanoTime();
            }
            if (closing && queue.isEmpty()) {
                break;
            }
            housekeeping();
        }
        flush(true);
        rotate();
    }

    private void write(PredictionEvent e) {
        Instant hour = LogLayout.hourOf(e.time());
        try {
            if (journal != null && (!journal.hour().equals(hour) || !journal.schema().equals(e.schema()))) {
                rotate();
            }
            if (journal == null) {
                Path dir = LogLayout.hourDir(settings.dir(), e.schema().model(), hour);
                Files.createDirectories(dir);
                Path file = dir.resolve("v" + e.schema().version() + "-" + instance + "-" + (sequence++) + LogLayout.JOURNAL);
                journal = Journal.create(file, e.schema(), hour, settings.clock().instant());
                // Drops since the previous journal closed belong to this one (it is the next file a reader sees).
                dropsAtOpen = dropsWritten;
                droppedRowsAtOpen = droppedRowsWritten;
            }
            journal.append(e);
            writtenRows.addAndGet(e.rows());
            if (journal.buffered() >= FLUSH_BYTES) {
                flush(false);
            }
        } catch (IOException | RuntimeException ex) {
            lost(e, ex);
        }
    }

    /** A write failed (disk full, folder gone): the event is counted as dropped and the journal given up. */
    private void lost(PredictionEvent e, Exception ex) {
        dropped.incrementAndGet();
        droppedRows.addAndGet(e.rows());
        long now = System.nanoTime();
        if (now - lastWarn > WARN_EVERY_NANOS || lastWarn == 0) {
            lastWarn = now;
            log.warn("prediction log: a write to {} failed ({}); requests are dropped and counted until it works again",
                    settings.dir(), ex.toString());
        }
        if (journal != null) {
            Path p = journal.path();
            journal.abandon();
            journal = null;
            sealer.submit(() -> sealQuietly(p));
        }
    }

    private void housekeeping() {
        long now = System.nanoTime();
        if (now - lastFlush >= settings.flushInterval().toNanos()) {
            flush(now - lastForce >= FORCE_NANOS);
        }
        if (journal != null && LogLayout.hourOf(settings.clock().instant()).isAfter(journal.hour())) {
            rotate();
        }
        long d = dropped.get();
        if (d > dropsWarned && now - lastWarn > WARN_EVERY_NANOS) {
            lastWarn = now;
            log.warn("prediction log: {} requests dropped so far (queue of {} full); /metrics counts them",
                    d, settings.queueCapacity());
            dropsWarned = d;
        }
    }

    private void flush(boolean force) {
        long now = System.nanoTime();
        lastFlush = now;
        if (journal == null) {
            return;
        }
        try {
            long d = dropped.get();
            if (d != dropsWritten) {
                long rows = droppedRows.get();
                journal.appendDrops(d - dropsAtOpen, rows - droppedRowsAtOpen);
                dropsWritten = d;
                droppedRowsWritten = rows;
            }
            if (force) {
                journal.force();
                lastForce = now;
            } else {
                journal.flush();
            }
        } catch (IOException | RuntimeException ex) {
            log.warn("prediction log: writing {} failed: {}", journal.path(), ex.toString());
            Path p = journal.path();
            journal.abandon();
            journal = null;
            sealer.submit(() -> sealQuietly(p));
        }
    }

    /** Closes the current journal and hands it to the sealer. */
    private void rotate() {
        if (journal == null) {
            return;
        }
        Journal j = journal;
        journal = null;
        try {
            long d = dropped.get();
            if (d != dropsWritten) {
                long rows = droppedRows.get();
                j.appendDrops(d - dropsAtOpen, rows - droppedRowsAtOpen);
                dropsWritten = d;
                droppedRowsWritten = rows;
            }
            j.close();
        } catch (IOException e) {
            log.warn("prediction log: closing {} failed: {}", j.path(), e.toString());
            j.abandon();
        }
        Instant hour = j.hour();
        sealer.submit(() -> {
            sealQuietly(j.path());
            if (hour.isBefore(LogLayout.hourOf(settings.clock().instant()))) {
                try {
                    Sealer.compact(j.path().getParent());
                } catch (IOException | RuntimeException e) {
                    log.warn("prediction log: compacting {} failed: {}", j.path().getParent(), e.toString());
                }
            }
        });
    }

    private void sealQuietly(Path journalFile) {
        try {
            Sealer.seal(journalFile);
            sealedFiles.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            log.warn("prediction log: sealing {} failed (it stays readable as a journal and is retried at the next start): {}",
                    journalFile, e.toString());
        }
    }

    /** Writes everything queued, seals the current journal, and waits (up to a minute) for the sealing to end. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        try {
            writer.join(60_000);
            sealer.shutdown();
            if (!sealer.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("prediction log: sealing did not finish within a minute; the journal is sealed at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
