package dev.flywheel.store.materialize.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian primitives and bulk arrays onto a stream through one reusable buffer (no per-value calls). */
final class LittleEndianOutput {
    private static final int SIZE = 1 << 16;

    private final OutputStream out;
    private final ByteBuffer buf = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);

    LittleEndianOutput(OutputStream out) {
        this.out = out;
    }

    private void room(int bytes) throws IOException {
        if (buf.remaining() < bytes) {
            flush();
        }
    }

    void writeByte(int v) throws IOException {
        room(1);
        buf.put((byte) v);
    }

    void writeShort(int v) throws IOException {
        room(2);
        buf.putShort((short) v);
    }

    void writeInt(int v) throws IOException {
        room(4);
        buf.putInt(v);
    }

    void writeLong(long v) throws IOException {
        room(8);
        buf.putLong(v);
    }

    void writeBytes(byte[] b) throws IOException {
        writeBytes(b, 0, b.length);
    }

    void writeBytes(byte[] b, int offset, int length) throws IOException {
        if (length > buf.remaining()) {
            flush();
            if (length > buf.capacity()) {
                out.write(b, offset, length);
                return;
            }
        }
        buf.put(b, offset, length);
    }

    /** Copies {@code count} values of {@code width} bytes from an array through a typed view of the buffer. */
    private interface BulkWrite {
        void copy(ByteBuffer buffer, int offset, int count);
    }

    private void writeBulk(int length, int width, BulkWrite write) throws IOException {
        for (int i = 0; i < length; ) {
            room(width);
            int n = Math.min(length - i, buf.remaining() / width);
            write.copy(buf, i, n);
            buf.position(buf.position() + n * width);
            i += n;
        }
    }

    void writeDoubles(double[] v) throws IOException {
        writeBulk(v.length, 8, (b, i, n) -> b.asDoubleBuffer().put(v, i, n));
    }

    void writeLongs(long[] v) throws IOException {
        writeBulk(v.length, 8, (b, i, n) -> b.asLongBuffer().put(v, i, n));
    }

    void writeFloats(float[] v) throws IOException {
        writeBulk(v.length, 4, (b, i, n) -> b.asFloatBuffer().put(v, i, n));
    }

    void writeInts(int[] v) throws IOException {
        writeBulk(v.length, 4, (b, i, n) -> b.asIntBuffer().put(v, i, n));
    }

    void writeShorts(short[] v) throws IOException {
        writeBulk(v.length, 2, (b, i, n) -> b.asShortBuffer().put(v, i, n));
    }

    void writeChars(char[] v) throws IOException {
        writeBulk(v.length, 2, (b, i, n) -> b.asCharBuffer().put(v, i, n));
    }

    /** Writes what is buffered to the stream; does not flush or close the stream itself. */
    void flush() throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}
