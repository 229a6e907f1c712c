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

    void writeDoubles(double[] v) throws IOException {
        for (int i = 0; i < v.length; ) {
            room(8);
            int n = Math.min(v.length - i, buf.remaining() / 8);
            buf.asDoubleBuffer().put(v, i, n);
            buf.position(buf.position() + n * 8);
            i += n;
        }
    }

    void writeLongs(long[] v) throws IOException {
        for (int i = 0; i < v.length; ) {
            room(8);
            int n = Math.min(v.length - i, buf.remaining() / 8);
            buf.asLongBuffer().put(v, i, n);
            buf.position(buf.position() + n * 8);
            i += n;
        }
    }

    void writeFloats(float[] v) throws IOException {
        for (int i = 0; i < v.length; ) {
            room(4);
            int n = Math.min(v.length - i, buf.remaining() / 4);
            buf.asFloatBuffer().put(v, i, n);
            buf.position(buf.position() + n * 4);
            i += n;
        }
    }

    void writeInts(int[] v) throws IOException {
        for (int i = 0; i < v.length; ) {
            room(4);
            int n = Math.min(v.length - i, buf.remaining() / 4);
            buf.asIntBuffer().put(v, i, n);
            buf.position(buf.position() + n * 4);
            i += n;
        }
    }

    void writeShorts(short[] v) throws IOException {
        for (int i = 0; i < v.length; ) {
            room(2);
            int n = Math.min(v.length - i, buf.remaining() / 2);
            buf.asShortBuffer().put(v, i, n);
            buf.position(buf.position() + n * 2);
            i += n;
        }
    }

    void writeChars(char[] v) throws IOException {
        for (int i = 0; i < v.length; ) {
            room(2);
            int n = Math.min(v.length - i, buf.remaining() / 2);
            buf.asCharBuffer().put(v, i, n);
            buf.position(buf.position() + n * 2);
            i += n;
        }
    }

    /** Writes what is buffered to the stream; does not flush or close the stream itself. */
    void flush() throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}
