package dev.flywheel.s3.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the AWS SDK's exceptions into Flywheel's: what failed, where, and what to check. The SDK's messages name
 * the request and the service's answer, never the credentials.
 */
public final class S3Failures {
    private S3Failures() {
    }

    /** Whether the service answered 404 (no such key or bucket). */
    public static boolean notFound(SdkException e) {
        return e instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    /**
     * @param action what was being done, as a phrase: {@code "upload an artifact to s3://b/p/"}
     * @param where  the endpoint (or "AWS S3") for the message
     */
    public static FlywheelException of(String action, String where, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String detail = code == null ? "HTTP " + s3.statusCode() : code + " (HTTP " + s3.statusCode() + ")";
            String hint = switch (s3.statusCode()) {
                case 403 -> "; the credentials were refused or lack permission: check accessKeyId/secretAccessKey (or the"
                        + " AWS credential chain) and the bucket policy";
                case 404 -> "NoSuchBucket".equals(code) ? "; create the bucket first, or fix the 'bucket' setting" : "";
                case 301, 400 -> "; check the 'region', 'endpoint' and 'pathStyle' settings";
                default -> "";
            };
            ErrorCode errorCode = s3.statusCode() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.UNAVAILABLE;
            return new FlywheelException(errorCode, "Could not " + action + " at " + where + ": " + detail + hint, e);
        }
        if (e instanceof SdkClientException) {
            return new FlywheelException(ErrorCode.UNAVAILABLE, "Could not " + action + ": " + where + " did not answer ("
                    + firstLine(e) + "); check the 'endpoint' setting and that the store is running and reachable", e);
        }
        return new FlywheelException(ErrorCode.UNAVAILABLE, "Could not " + action + " at " + where + ": " + firstLine(e), e);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
