package dev.flywheel.predictionlog.internal;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Snappy for Parquet pages through snappy-java directly. parquet-hadoop's own codec factory builds a Hadoop
 * {@code Configuration} for every codec but "uncompressed", which needs the whole Hadoop runtime (XML parsers
 * and all); this keeps the log's dependencies to the small client API jar.
 */
public final class SnappyCodecs implements CompressionCodecFactory {
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        require(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(Snappy.compress(bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.SNAPPY;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        if (codec == CompressionCodecName.UNCOMPRESSED) {
            return new BytesInputDecompressor() {
                @Override
                public BytesInput decompress(BytesInput bytes, int size) {
                    return bytes;
                }

                @Override
                public void decompress(ByteBuffer in, int compressedSize, ByteBuffer out, int size) {
                    ByteBuffer src = in.duplicate();
                    src.limit(src.position() + compressedSize);
                    out.put(src);
                }

                @Override
                public void release() {
                }
            };
        }
        require(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int size) throws IOException {
                byte[] out = new byte[size];
                int n = Snappy.uncompress(bytes.toByteArray(), 0, (int) bytes.size(), out, 0);
                if (n != size) {
                    throw new IOException("snappy page decompressed to " + n + " bytes, expected " + size);
                }
                return BytesInput.from(out);
            }

            @Override
            public void decompress(ByteBuffer in, int compressedSize, ByteBuffer out, int size) throws IOException {
                byte[] src = new byte[compressedSize];
                in.duplicate().get(src);
                byte[] dst = new byte[size];
                Snappy.uncompress(src, 0, compressedSize, dst, 0);
                out.put(dst);
            }

            @Override
            public void release() {
            }
        };
    }

    private static void require(CompressionCodecName codec) {
        if (codec != CompressionCodecName.SNAPPY) {
            throw new IllegalArgumentException("prediction logs are written with snappy only; a file compressed with "
                    + codec + " was not written by Flywheel");
        }
    }

    @Override
    public void release() {
    }
}
