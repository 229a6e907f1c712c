package dev.flywheel.testdb;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import dev.flywheel.testkit.Await;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real S3 API on loopback: s3proxy in this JVM over a folder, with signature-checked credentials. Port 0, so
 * tests running at once never collide. Close it to stop the server. s3proxy is an optional dependency of this module:
 * a module whose tests start one declares {@code org.gaul:s3proxy} itself (test scope).
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "flywheel-test";
    public static final String SECRET_KEY = "flywheel-test-secret-key";

    private final S3Proxy proxy;
    private final BlobStore blobs;
    private final URI endpoint;

    private S3Server(S3Proxy proxy, BlobStore blobs, URI endpoint) {
        this.proxy = proxy;
        this.blobs = blobs;
        this.endpoint = endpoint;
    }

    public static S3Server start(Path folder) throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", folder.toAbsolutePath().toString());
        p.setProperty(Constants.PROPERTY_IDENTITY, ACCESS_KEY);
        p.setProperty(Constants.PROPERTY_CREDENTIAL, SECRET_KEY);
        BlobStore blobs = BlobStores.create("filesystem-nio2", p);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        Await.until(Duration.ofSeconds(20), "s3proxy started", () -> "STARTED".equals(proxy.getState()));
        return new S3Server(proxy, blobs, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    public void createBucket(String name) {
        blobs.createContainer(name);
    }

    /** A client of this server for tests to look behind the store's back. */
    public S3Client client() {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }


    @Override
    public void close() throws Exception {
        proxy.stop();
        blobs.close();
    }
}
