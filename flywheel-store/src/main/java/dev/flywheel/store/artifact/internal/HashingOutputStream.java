package dev.flywheel.store.artifact.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Buffers, counts and hashes what passes through to {@code out}. The hash is updated a buffer at a time, which
 * keeps small writes from materializers cheap. {@link #close} only flushes: the store owns the file and decides
 * when it is forced and closed.
 */
public final class HashingOutputStream extends OutputStream {
    private final OutputStream out;
    private final MessageDigest digest;
    private final byte[] buffer;
    private int buffered;
    private long count;

    public HashingOutputStream(OutputStream out, MessageDigest digest, int bufferSize) {
        this.out = Objects.requireNonNull(out, "out");
        this.digest = Objects.requireNonNull(digest, "digest");
        this.buffer = new byte[bufferSize];
    }

    @Override
    public void write(int b) throws IOException {
        if (buffered == buffer.length) {
            drain();
        }
        buffer[buffered++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len >= buffer.length) {
            drain();
            digest.update(b, off, len);
            out.write(b, off, len);
            count += len;
            return;
        }
        if (len > buffer.length - buffered) {
            drain();
        }
        System.arraycopy(b, off, buffer, buffered, len);
        buffered += len;
    }

    private void drain() throws IOException {
        if (buffered > 0) {
            digest.update(buffer, 0, buffered);
            out.write(buffer, 0, buffered);
            count += buffered;
            buffered = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    /** Bytes written so far, including those still buffered. */
    public long count() {
        return count + buffered;
    }

    /** Flushes and returns the digest of everything written; call once, at the end. */
    public byte[] finish() throws IOException {
        flush();
        return digest.digest();
    }
}
