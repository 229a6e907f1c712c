package dev.flywheel.s3;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.ArtifactStoreOpener;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Opens {@code s3://BUCKET/PREFIX/} where a step runs away from the project (a Kubernetes Job): bucket and prefix from
 * the URI; an S3-compatible endpoint from {@code FLYWHEEL_S3_ENDPOINT} (and {@code FLYWHEEL_S3_PATH_STYLE=true} for
 * MinIO, s3proxy); region and credentials through the AWS chain ({@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY} set from a Kubernetes Secret, web identity, instance role). The blob cache is a
 * temporary folder of the process.
 */
public final class S3StoreOpener implements ArtifactStoreOpener {
    public static final String ENDPOINT = "FLYWHEEL_S3_ENDPOINT";
    public static final String PATH_STYLE = "FLYWHEEL_S3_PATH_STYLE";

    @Override
    public boolean opens(URI root) {
        return "s3".equalsIgnoreCase(root.getScheme());
    }

    @Override
    public ArtifactStore open(URI root, Map<String, String> environment) {
        String bucket = root.getHost();
        if (bucket == null) {
            throw FlywheelException.invalid("artifact store " + root + " names no bucket; expected s3://BUCKET/PREFIX/");
        }
        Path cache;
        try {
            cache = Files.createTempDirectory("flywheel-s3-cache-");
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot create a cache folder for " + root + ": " + e.getMessage(), e);
        }
        String prefix = root.getPath() == null ? "" : root.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
        S3StoreConfig config = S3StoreConfig.of(bucket, cache).withPrefix(prefix);
        String endpoint = environment.get(ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            config = config.withEndpoint(URI.create(endpoint.strip()), Boolean.parseBoolean(environment.getOrDefault(PATH_STYLE, "false")));
        }
        return S3ArtifactStore.open(config, Clock.systemUTC());
    }
}
