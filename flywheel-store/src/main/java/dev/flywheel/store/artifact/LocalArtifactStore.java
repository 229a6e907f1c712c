package dev.flywheel.store.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content-addressed files under a folder. (Stand-in until the data branch lands.) */
public final class LocalArtifactStore implements ArtifactStore {
    private final Path root;

    public LocalArtifactStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public StoredBlob write(BlobWriter writer) throws IOException {
        Files.createDirectories(root);
        Path tmp = Files.createTempFile(root, "blob-", ".tmp");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
            writer.write(out);
        }
        String hash = HexFormat.of().formatHex(sha.digest());
        Path target = root.resolve(hash.substring(0, 2)).resolve(hash);
        Files.createDirectories(target.getParent());
        long size = Files.size(tmp);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new StoredBlob(target.toUri(), size, hash);
    }

    @Override
    public InputStream open(URI uri) throws IOException {
        return Files.newInputStream(Path.of(uri));
    }

    @Override
    public boolean exists(URI uri) {
        return Files.exists(Path.of(uri));
    }

    @Override
    public String root() {
        return root.toString();
    }
}
