package dev.flywheel.s3.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Puts a complete local file at a key so that the object appears whole or not at all: one PUT below the multipart
 * threshold (S3 stores a PUT only once its whole body arrived, and checks it against the SHA-256 sent with it), else
 * a multipart upload, which makes no object until it is completed and is aborted when a part fails. An upload whose
 * process died before it could abort is left to {@link #abortStale}.
 */
public final class Uploader {
    private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);

    private final S3Client client;
    private final String bucket;
    private final long multipartThreshold;
    private final long partSize;

    public Uploader(S3Client client, String bucket, long multipartThreshold, long partSize) {
        this.client = client;
        this.bucket = bucket;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    /**
     * Uploads {@code file} ({@code size} bytes hashing to {@code sha256}) to {@code key}.
     *
     * @throws SdkException when the store refused or could not be reached; no object is left at {@code key}
     */
    public void upload(Path file, long size, String sha256, String key) throws IOException {
        if (size < multipartThreshold) {
            String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
            client.putObject(b -> b.bucket(bucket).key(key).contentLength(size).checksumSHA256(checksum)
                    .metadata(java.util.Map.of("sha256", sha256)), RequestBody.fromFile(file));
            return;
        }
        CreateMultipartUploadResponse created = client.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .metadata(java.util.Map.of("sha256", sha256)));
        String uploadId = created.uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                int number = 1;
                for (long offset = 0; offset < size; offset += partSize, number++) {
                    long length = Math.min(partSize, size - offset);
                    parts.add(uploadPart(channel, key, uploadId, number, offset, length));
                }
            }
            client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (IOException | RuntimeException e) {
            abort(key, uploadId);
            throw e;
        }
    }

    private CompletedPart uploadPart(FileChannel channel, String key, String uploadId, int number, long offset, long length) {
        // A content provider opens the part afresh for each attempt, so the SDK can retry a part cut midway.
        RequestBody body = RequestBody.fromContentProvider(() -> slice(channel, offset, length), length, "application/octet-stream");
        UploadPartResponse r = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                .contentLength(length), body);
        return CompletedPart.builder().partNumber(number).eTag(r.eTag()).build();
    }

    private static InputStream slice(FileChannel channel, long offset, long length) {
        // positional reads: several attempts (or parts) may read the one channel without sharing a position
        return new java.io.BufferedInputStream(new InputStream() {
            private long position = offset;
            private final long end = offset + length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= end) {
                    return -1;
                }
                int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        }, 1 << 16);
    }

    private void abort(String key, String uploadId) {
        try {
            client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
        } catch (SdkException e) {
            LOG.warn("Could not abort a failed multipart upload; a later store opening aborts it once stale key={} upload={} error={}",
                    key, uploadId, e.toString());
        }
    }

    /**
     * Aborts the multipart uploads under {@code prefix} started before {@code before}: their writers died (a live
     * upload finishes long before). They hold storage but are no objects, so no reader ever saw them.
     *
     * @return how many were aborted
     */
    public int abortStale(String prefix, Instant before) {
        int aborted = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            String km = keyMarker;
            String um = uploadIdMarker;
            ListMultipartUploadsResponse page = client.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)
                    .keyMarker(km).uploadIdMarker(um));
            for (MultipartUpload u : page.uploads()) {
                if (u.initiated() != null && u.initiated().isBefore(before)) {
                    try {
                        client.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
                        aborted++;
                        LOG.warn("Aborted a multipart upload left by an interrupted write key={} upload={} started={}",
                                u.key(), u.uploadId(), u.initiated());
                    } catch (SdkException e) {
                        LOG.warn("Could not abort a stale multipart upload key={} upload={} error={}", u.key(), u.uploadId(), e.toString());
                    }
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return aborted;
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        }
    }

}
