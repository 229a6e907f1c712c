package dev.flywheel.store.materialize.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code model-v1}: a {@link Model} as a JSON header and the model file's bytes, little-endian:
 * <pre>
 * "FWMD" | version u16 (=1) | header length i32 | header JSON {name, format, signature, metrics} |
 * content length i64 | content bytes
 * </pre>
 * The header comes first so tools can describe a model without reading its (possibly large) content.
 */
public final class ModelMaterializer implements Materializer<Model> {
    public static final String FORMAT = "model-v1";
    private static final byte[] MAGIC = {'F', 'W', 'M', 'D'};
    private static final int VERSION = 1;

    private final ObjectMapper mapper = JsonMapping.create();

    /** The JSON header; a record so its shape is explicit and stable. */
    record Header(String name, String format, ModelSignature signature, Map<String, Double> metrics) {
    }

    @Override
    public Class<Model> type() {
        return Model.class;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public void write(Model model, OutputStream stream) throws IOException {
        byte[] header = mapper.writeValueAsBytes(new Header(model.name(), model.format(), model.signature(), model.metrics()));
        LittleEndianOutput out = new LittleEndianOutput(stream);
        out.writeBytes(MAGIC);
        out.writeShort(VERSION);
        out.writeInt(header.length);
        out.writeBytes(header);
        out.writeLong(model.content().length);
        out.flush();
        stream.write(model.content());
    }

    @Override
    public Model read(InputStream stream, Class<? extends Model> type) throws IOException {
        LittleEndianInput in = new LittleEndianInput(stream, FORMAT);
        byte[] magic = in.readBytes(4, "the magic bytes");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "not a " + FORMAT + " artifact: it starts with bytes "
                    + HexFormat.ofDelimiter(" ").formatHex(magic) + " instead of 'FWMD'; read it with the materializer"
                    + " of the format it was stored with");
        }
        int version = in.readShort("the version");
        if (version != VERSION) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "this " + FORMAT + " artifact has format version "
                    + version + " but this Flywheel reads version " + VERSION + "; use the Flywheel release that wrote it");
        }
        int headerLength = in.readInt("the header length");
        if (headerLength < 0) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "corrupt " + FORMAT + " artifact: header length " + headerLength);
        }
        Header header = mapper.readValue(in.readBytes(headerLength, "the JSON header"), Header.class);
        long contentLength = in.readLong("the content length");
        if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 8) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "corrupt " + FORMAT + " artifact: content length "
                    + contentLength + " (a Model holds at most 2 GiB)");
        }
        byte[] content = in.readBytes((int) contentLength, "the model content");
        try {
            return new Model(header.name(), header.format(), content, header.signature(), header.metrics());
        } catch (RuntimeException e) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "corrupt " + FORMAT + " artifact header: " + e.getMessage(), e);
        }
    }
}
