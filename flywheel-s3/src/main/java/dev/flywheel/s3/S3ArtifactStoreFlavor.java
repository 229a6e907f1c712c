package dev.flywheel.s3;

import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.Setting;
import dev.flywheel.store.artifact.ArtifactStore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The artifact store flavor {@code s3}: {@code flywheel artifact-store register s3store --flavor s3 -s bucket=B
 * [-s endpoint=http://127.0.0.1:9000 -s pathStyle=true]}. Credentials come from the standard AWS chain unless given as
 * secret references ({@code -s accessKeyId={{secret.aws.accessKeyId}} -s secretAccessKey={{secret.aws.secretAccessKey}}}).
 */
public final class S3ArtifactStoreFlavor implements Flavor<S3ArtifactStoreFlavor.Settings, ArtifactStore> {

    /** The settings as users give them; {@link #config} checks them into an {@link S3StoreConfig}. */
    public record Settings(
            @Setting(description = "the bucket (it must exist)", required = true) String bucket,
            @Setting(description = "the folder inside the bucket; empty for its root") String prefix,
            @Setting(description = "the AWS region; default: AWS_REGION or the profile, else us-east-1") String region,
            @Setting(description = "endpoint of an S3-compatible store (MinIO, Ceph, s3proxy): http://HOST:PORT") URI endpoint,
            @Setting(description = "address the bucket in the path (most S3-compatible stores need it)", defaultValue = "false") boolean pathStyle,
            @Setting(description = "static credentials with secretAccessKey; default: the AWS credential chain", secret = true) String accessKeyId,
            @Setting(description = "goes with accessKeyId", secret = true) String secretAccessKey,
            @Setting(description = "blobs of at least this many bytes are uploaded in parts", defaultValue = "16777216") long multipartThreshold,
            @Setting(description = "bytes per uploaded part (5 MiB to 5 GiB)", defaultValue = "8388608") long partSize,
            @Setting(description = "unfinished uploads older than this are aborted when the store opens", defaultValue = "24h") Duration staleUploadAge,
            @Setting(description = "where verified local copies are kept; default: .flywheel/s3-cache/COMPONENT") Path cacheFolder,
            @Setting(description = "the local cache is trimmed, oldest first, to this many bytes", defaultValue = "2147483648") long cacheMaxBytes) {
        public Settings {
            // the parameters, not the fields: a compact constructor assigns the fields after its body
            new S3StoreConfig(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, multipartThreshold,
                    partSize, staleUploadAge, Path.of("cache"), cacheMaxBytes);
        }

        /** The store's configuration, with the cache under {@code defaultCache} unless a folder was given. */
        S3StoreConfig config(Path defaultCache) {
            return new S3StoreConfig(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, multipartThreshold,
                    partSize, staleUploadAge, cacheFolder != null ? cacheFolder : defaultCache, cacheMaxBytes);
        }

        @Override
        public String toString() {
            return config(Path.of("cache")).toString();
        }
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.ARTIFACT_STORE;
    }

    @Override
    public String name() {
        return S3ArtifactStore.FLAVOR;
    }

    @Override
    public String description() {
        return "content-addressed objects in an S3 bucket (AWS, MinIO, Ceph, s3proxy), read through a verified local cache";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public ArtifactStore create(Settings settings, FlavorContext context) {
        Path cache = context.projectFolder().resolve("s3-cache").resolve(context.componentName());
        S3StoreConfig config = settings.config(cache);
        if (settings.cacheFolder() != null && !settings.cacheFolder().isAbsolute()) {
            config = config.withCache(context.projectFolder().resolve(settings.cacheFolder()), config.cacheMaxBytes());
        }
        return S3ArtifactStore.open(config, context.clock());
    }
}
