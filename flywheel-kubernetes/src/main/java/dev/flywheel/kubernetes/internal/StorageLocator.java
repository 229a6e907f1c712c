package dev.flywheel.kubernetes.internal;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.s3.S3ArtifactStore;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.ArtifactStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the cluster reads a version's file: the {@code storageUriTemplate} setting filled in; else, when the flavor's
 * runtime needs a layout (KServe's and Seldon's own runtimes for XGBoost and ONNX, see {@link ServingLayout}), the
 * serving copy's folder in the stack's S3 artifact store; else the version's blob there
 * ({@code s3://bucket/prefix/blobs/ab/<sha256>}: blobs are content-addressed, so the registry's sha256 names it). A
 * local ({@code file:}) store is refused: no pod can read this machine's disk.
 *
 * <p>{@link #storageUri} only names the place; {@link #prepare} also publishes the serving copy (before anything that
 * points at it is applied or rendered).
 */
public final class StorageLocator {
    private static final Logger LOG = LoggerFactory.getLogger(StorageLocator.class);
    private static final int SNIFF_BYTES = 64;

    private final String flavor;
    private final String template;
    private final ArtifactStore store;

    public StorageLocator(String flavor, String template, ArtifactStore store) {
        this.flavor = flavor;
        this.template = template;
        this.store = store;
    }

    /** Where the cluster reads {@code c}, without reading or writing anything. */
    public String storageUri(DeploymentConfig c) {
        if (template != null) {
            if (template.contains("{sha256}") && c.modelSha256() == null) {
                throw FlywheelException.invalid("storageUriTemplate names {sha256}, but model '" + c.modelName() + "' version "
                        + c.modelVersion() + " has no recorded sha256; register it again");
            }
            return template.replace("{model}", c.modelName()).replace("{version}", Integer.toString(c.modelVersion()))
                    .replace("{format}", c.format().toLowerCase(Locale.ROOT))
                    .replace("{sha256}", c.modelSha256() == null ? "" : c.modelSha256().toLowerCase(Locale.ROOT));
        }
        URI blob = blobUri(c);
        Optional<ServingLayout> layout = ServingLayout.of(flavor, c, ServingLayout.Extension.BST);
        if (layout.isPresent() && store instanceof S3ArtifactStore s3) {
            return s3.uriOf(layout.get().storageFolder()).toString();
        }
        return blob.toString();
    }

    /**
     * Where the cluster reads {@code c}, after publishing the serving copy there when the runtime needs one. Idempotent:
     * objects already holding the right bytes are not sent again.
     */
    public String prepare(DeploymentConfig c) {
        String uri = storageUri(c);
        if (template == null && store instanceof S3ArtifactStore s3 && ServingLayout.of(flavor, c, ServingLayout.Extension.BST).isPresent()) {
            URI blob = blobLocation(c);
            ServingLayout layout = ServingLayout.of(flavor, c, extension(s3, blob, c)).orElseThrow();
            int sent = s3.publish(blob, layout.modelKey()).uploaded() ? 1 : 0;
            for (Map.Entry<String, String> e : layout.extras().entrySet()) {
                sent += s3.publish(e.getValue().getBytes(StandardCharsets.UTF_8), e.getKey()).uploaded() ? 1 : 0;
            }
            LOG.info("Serving copy of model={} version={} for flavor={} at {} ({} of {} objects uploaded, the rest were there)",
                    c.modelName(), c.modelVersion(), flavor, uri, sent, 1 + layout.extras().size());
        }
        return uri;
    }

    private static ServingLayout.Extension extension(S3ArtifactStore s3, URI blob, DeploymentConfig c) {
        if (!c.format().equalsIgnoreCase("xgboost")) {
            return ServingLayout.Extension.BST;
        }
        try (InputStream in = s3.open(blob)) {
            return ServingLayout.Extension.sniff(in.readNBytes(SNIFF_BYTES));
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "could not read the first bytes of model '" + c.modelName() + "' version "
                    + c.modelVersion() + " (" + blob + ") to name its serving copy: " + e, e);
        }
    }

    private static URI blobLocation(DeploymentConfig c) {
        String sha = c.modelSha256().toLowerCase(Locale.ROOT);
        return URI.create("blobs/" + sha.substring(0, 2) + "/" + sha);
    }

    private URI blobUri(DeploymentConfig c) {
        if (c.modelSha256() == null) {
            throw FlywheelException.invalid("Model '" + c.modelName() + "' version " + c.modelVersion() + " has no recorded sha256, so its blob "
                    + "in the artifact store cannot be named; register it again, or set the deployer's storageUriTemplate");
        }
        if (store == null) {
            throw FlywheelException.invalid("The deployer knows no artifact store to point the cluster at; set its storageUriTemplate "
                    + "(e.g. -s storageUriTemplate=s3://models/{model}/{version}/)");
        }
        URI uri = store.locate(blobLocation(c));
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            throw FlywheelException.invalid("The stack's artifact store is on this machine (" + store.root() + "), which pods cannot read; "
                    + "use an S3 artifact store in the stack (flywheel artifact-store register s3 --flavor s3 ...), or set the deployer's "
                    + "storageUriTemplate to where the cluster finds model files (e.g. s3://models/{model}/{version}/)");
        }
        return uri;
    }
}
