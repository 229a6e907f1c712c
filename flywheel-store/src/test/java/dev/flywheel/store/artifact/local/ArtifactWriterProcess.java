package dev.flywheel.store.artifact.local;

import dev.flywheel.store.artifact.StoredBlob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for the crash and multi-process tests.
 * <ul>
 *   <li>{@code slow ROOT MARKER}: writes a blob that never ends, touching MARKER once bytes are on disk.</li>
 *   <li>{@code write ROOT SEED COUNT}: writes COUNT blobs of content derived from SEED and from the index,
 *       printing each URI.</li>
 *   <li>{@code fill ROOT BIG SMALL}: on a small disk, writes a blob of BIG bytes (more than the disk holds), prints how
 *       it ended and how many blobs and temporary files are left, then writes one of SMALL bytes.</li>
 * </ul>
 */
public final class ArtifactWriterProcess {
    private ArtifactWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(Path.of(args[1]));
        switch (args[0]) {
            case "slow" -> store.write(out -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 7);
                Path marker = Path.of(args[2]);
                while (true) {
                    out.write(chunk);
                    out.flush();
                    if (!Files.exists(marker)) {
                        Files.createFile(marker);
                    }
                    LockSupport.parkNanos(5_000_000); // a slow producer; the parent kills us mid-write
                }
            });
            case "write" -> {
                int count = Integer.parseInt(args[3]);
                for (int i = 0; i < count; i++) {
                    byte[] content = LocalArtifactStoreTest.content(args[2] + "-" + i, 200_000);
                    StoredBlob blob = store.write(out -> out.write(content));
                    System.out.println(blob.uri());
                }
            }
            case "fill" -> {
                System.out.println("big " + attempt(store, Integer.parseInt(args[2])));
                System.out.println("after blobs=" + LocalArtifactStoreTest.files(Path.of(args[1]).resolve("blobs")).size()
                        + " tmp=" + LocalArtifactStoreTest.files(Path.of(args[1]).resolve("tmp")).size());
                System.out.println("small " + attempt(store, Integer.parseInt(args[3])));
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static String attempt(LocalArtifactStore store, int size) {
        byte[] content = LocalArtifactStoreTest.content("fill-" + size, size);
        try {
            return "ok " + store.write(out -> out.write(content)).uri();
        } catch (dev.flywheel.sdk.FlywheelException e) {
            return "error " + e.code() + " " + e.getMessage();
        }
    }
}
