package dev.flywheel.store.materialize.internal;

import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** {@code text}: a String as its UTF-8 bytes, nothing else, so the blob can be read with any tool. */
public final class TextMaterializer implements Materializer<String> {
    public static final String FORMAT = "text";

    @Override
    public Class<String> type() {
        return String.class;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public void write(String value, OutputStream out) throws IOException {
        out.write(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String read(InputStream in, Class<? extends String> type) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
