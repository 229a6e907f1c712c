package dev.flywheel.engine.run;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Routes {@code System.out} and {@code System.err} written on a step's thread into that step's {@link StepLog};
 * every other thread writes through to the original streams. Installed once per JVM, on first use.
 */
public final class OutputCapture {
    private static final ThreadLocal<StepLog> TARGET = new ThreadLocal<>();
    private static volatile boolean installed;

    private OutputCapture() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        System.setOut(new PrintStream(new Router(System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Router(System.err), true, StandardCharsets.UTF_8));
        installed = true;
    }

    /** Sends this thread's output to {@code log} until {@link #end()}. */
    static void begin(StepLog log) {
        if (!installed) {
            install();
        }
        TARGET.set(log);
    }

    static void end() {
        TARGET.remove();
    }

    private static final class Router extends OutputStream {
        private final PrintStream original;
        private final ThreadLocal<ByteArrayOutputStream> pending = ThreadLocal.withInitial(ByteArrayOutputStream::new);

        Router(PrintStream original) {
            this.original = original;
        }

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            StepLog log = TARGET.get();
            if (log == null) {
                original.write(b, off, len);
                return;
            }
            ByteArrayOutputStream buffer = pending.get();
            buffer.write(b, off, len);
            if (len > 0 && b[off + len - 1] == '\n') {
                flushTo(log, buffer);
            }
        }

        @Override
        public void flush() {
            StepLog log = TARGET.get();
            if (log == null) {
                original.flush();
            } else {
                flushTo(log, pending.get());
            }
        }

        private static void flushTo(StepLog log, ByteArrayOutputStream buffer) {
            if (buffer.size() > 0) {
                log.append(buffer.toString(StandardCharsets.UTF_8));
                buffer.reset();
            }
        }
    }
}
