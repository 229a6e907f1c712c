package dev.flywheel.store.materialize.internal;

import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code bytes}: a byte array as is. */
public final class BytesMaterializer implements Materializer<byte[]> {
    public static final String FORMAT = "bytes";

    @Override
    public Class<byte[]> type() {
        return byte[].class;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public void write(byte[] value, OutputStream out) throws IOException {
        out.write(value);
    }

    @Override
    public byte[] read(InputStream in, Class<? extends byte[]> type) throws IOException {
        return in.readAllBytes();
    }
}
