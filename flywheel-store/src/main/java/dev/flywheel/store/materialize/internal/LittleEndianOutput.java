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
        if (b.length > buf.remaining()) {
            flush();
            if (b.length > buf.capacity()) {
                out.write(b);
                return;
            }
        }
        buf.put(b);
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

    /** Writes what is buffered to the stream; does not flush or close the stream itself. */
    void flush() throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}
