package dev.flywheel.store.materialize.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads what {@link LittleEndianOutput} wrote; a short stream is a clear "truncated" error naming what was read. */
final class LittleEndianInput {
    private static final int SIZE = 1 << 16;

    private final InputStream in;
    private final String format;
    private final ByteBuffer buf = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).limit(0);

    LittleEndianInput(InputStream in, String format) {
        this.in = in;
        this.format = format;
    }

    /** Ensures {@code bytes} (at most the buffer size) are buffered. */
    private void need(int bytes, String what) throws IOException {
        if (buf.remaining() >= bytes) {
            return;
        }
        buf.compact();
        while (buf.position() < bytes) {
            int n = in.read(buf.array(), buf.position(), buf.capacity() - buf.position());
            if (n < 0) {
                throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "the " + format + " artifact is truncated: it ends"
                        + " while reading " + what + "; it was not written completely, write it again");
            }
            buf.position(buf.position() + n);
        }
        buf.flip();
    }

    int readByte(String what) throws IOException {
        need(1, what);
        return buf.get() & 0xFF;
    }

    int readShort(String what) throws IOException {
        need(2, what);
        return buf.getShort() & 0xFFFF;
    }

    int readInt(String what) throws IOException {
        need(4, what);
        return buf.getInt();
    }

    long readLong(String what) throws IOException {
        need(8, what);
        return buf.getLong();
    }

    byte[] readBytes(int length, String what) throws IOException {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            need(1, what);
            int n = Math.min(length - done, buf.remaining());
            buf.get(out, done, n);
            done += n;
        }
        return out;
    }

    /** A UTF-8 string of {@code length} bytes, decoded straight from the buffer when it fits (no extra copy). */
    String readString(int length, String what) throws IOException {
        if (length > buf.capacity()) {
            return new String(readBytes(length, what), java.nio.charset.StandardCharsets.UTF_8);
        }
        need(length, what);
        String s = new String(buf.array(), buf.position(), length, java.nio.charset.StandardCharsets.UTF_8);
        buf.position(buf.position() + length);
        return s;
    }

    /** Copies {@code count} values of {@code width} bytes into an array through a typed view of the buffer. */
    private interface BulkRead {
        void copy(ByteBuffer buffer, int offset, int count);
    }

    private void readBulk(int length, int width, String what, BulkRead read) throws IOException {
        for (int i = 0; i < length; ) {
            need(width, what);
            int n = Math.min(length - i, buf.remaining() / width);
            read.copy(buf, i, n);
            buf.position(buf.position() + n * width);
            i += n;
        }
    }

    void readDoubles(double[] out, String what) throws IOException {
        readBulk(out.length, 8, what, (b, i, n) -> b.asDoubleBuffer().get(out, i, n));
    }

    void readLongs(long[] out, String what) throws IOException {
        readBulk(out.length, 8, what, (b, i, n) -> b.asLongBuffer().get(out, i, n));
    }

    void readFloats(float[] out, String what) throws IOException {
        readBulk(out.length, 4, what, (b, i, n) -> b.asFloatBuffer().get(out, i, n));
    }

    void readInts(int[] out, String what) throws IOException {
        readBulk(out.length, 4, what, (b, i, n) -> b.asIntBuffer().get(out, i, n));
    }

    void readShorts(short[] out, String what) throws IOException {
        readBulk(out.length, 2, what, (b, i, n) -> b.asShortBuffer().get(out, i, n));
    }

    void readChars(char[] out, String what) throws IOException {
        readBulk(out.length, 2, what, (b, i, n) -> b.asCharBuffer().get(out, i, n));
    }

    /** Whether the stream has no more bytes; used to reject trailing garbage. */
    boolean atEnd() throws IOException {
        return !buf.hasRemaining() && in.read() < 0;
    }
}
