package dev.flywheel.sdk.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Turns a step output of one type into bytes and back. Flywheel picks the materializer whose {@link #type()}
 * is the most specific match for a value's class; users add their own through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.flywheel.sdk.spi.Materializer}), and theirs win over the built-in ones.
 *
 * <p>Outputs declared as {@code List<X>}, {@code Set<X>}, {@code Map<String, X>} or {@code Optional<X>} are stored by
 * Flywheel's own container forms, which write each element with the materializer of {@code X} (so yours is used for
 * the elements). An artifact is read back with the materializer of its recorded format <em>and</em> type; keep a
 * format name stable once artifacts exist, and change it (for example {@code parquet-v2}) when the bytes change.
 *
 * <p>Implementations must be stateless and thread-safe: one instance serves every step of every run.
 * {@code write} must not close {@code out}; {@code read} must not close {@code in}.
 *
 * @param <T> the type this materializer handles (and its subtypes)
 */
public interface Materializer<T> {

    /** The type handled; subtypes are handled too unless a more specific materializer exists. */
    Class<T> type();

    /** A short, stable name of the byte format, stored with each artifact (for example {@code json}). */
    String format();

    void write(T value, OutputStream out) throws IOException;

    /** Reads a value written by {@link #write}; {@code type} is the exact type that was written. */
    T read(InputStream in, Class<? extends T> type) throws IOException;
}
