package dev.flywheel.store.materialize;

import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A user materializer registered in src/test/resources/META-INF/services: it must win over the built-in text. */
public final class ShoutingTextMaterializer implements Materializer<String> {
    @Override
    public Class<String> type() {
        return String.class;
    }

    @Override
    public String format() {
        return "test-shout";
    }

    @Override
    public void write(String value, OutputStream out) throws IOException {
        out.write(("!" + value).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String read(InputStream in, Class<? extends String> type) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).substring(1);
    }
}
