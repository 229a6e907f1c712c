package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a webhook call GitHub-style: header {@code X-Hub-Signature-256: sha256=<hex>} is the HMAC-SHA256 of the
 * raw body with a shared secret, compared in constant time. Then an optional {@code X-Flywheel-Timestamp} (Unix
 * seconds) must lie within the tolerance of this verifier's clock, and the delivery id ({@code
 * X-Flywheel-Delivery}, or GitHub's {@code X-GitHub-Delivery}) must not have been accepted before.
 *
 * <p>Limits, as with GitHub's scheme: the signature covers the body only, not the delivery id or timestamp, so
 * replay protection stops re-sent and duplicated deliveries, not an attacker who captured a body and sends it
 * with a new id; serve the endpoint over TLS. Thread-safe when the {@link DeliveryLog} is.
 */
public final class WebhookVerifier {
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    public static final String DELIVERY_HEADER = "X-Flywheel-Delivery";
    public static final String GITHUB_DELIVERY_HEADER = "X-GitHub-Delivery";
    public static final String TIMESTAMP_HEADER = "X-Flywheel-Timestamp";
    private static final String PREFIX = "sha256=";

    private final SecretKeySpec key;
    private final DeliveryLog deliveries;
    private final Clock clock;
    private final Duration tolerance;

    /**
     * @param secret     the shared secret (not empty); copied
     * @param deliveries where accepted delivery ids are kept
     * @param clock      the time timestamps are checked against
     * @param tolerance  how far a timestamp may be from the clock, either way (for example 5 minutes)
     */
    public WebhookVerifier(byte[] secret, DeliveryLog deliveries, Clock clock, Duration tolerance) {
        if (secret == null || secret.length == 0) {
            throw FlywheelException.invalid("Webhook secret is empty; set a random secret of at least 16 bytes and"
                    + " configure the same one at the sender");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    }

    /** Why a call was rejected, with the HTTP status to answer. */
    public enum Rejection {
        MISSING_SIGNATURE(401), BAD_SIGNATURE(401), STALE_TIMESTAMP(401), MISSING_DELIVERY_ID(400),
        REPLAYED_DELIVERY(409);

        private final int httpStatus;

        Rejection(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    /** The verdict on one call. */
    public sealed interface Verdict {
    }

    /** The call is authentic and new: launch a run for {@code reason}. */
    public record Accepted(LaunchReason.Webhook reason) implements Verdict {
    }

    /** The call is refused; {@code message} is safe to return to the caller (it never holds the secret). */
    public record Rejected(Rejection rejection, String message) implements Verdict {
    }

    /**
     * The checks that need only the headers: a signature header that is there and well-formed, a fresh timestamp
     * (when one is sent), a delivery id. A server runs them before reading the body, so a caller without them never
     * gets to send one; {@link #verify} runs them too.
     *
     * @return the rejection, or empty when the headers pass
     */
    public Optional<Rejected> checkHeaders(Map<String, String> headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        String signature = h.get(SIGNATURE_HEADER);
        if (signature == null || signature.isBlank()) {
            return Optional.of(new Rejected(Rejection.MISSING_SIGNATURE, "Missing " + SIGNATURE_HEADER + " header; sign the body"
                    + " with HMAC-SHA256 and send sha256=<hex>"));
        }
        if (signatureBytes(signature) == null) {
            return Optional.of(new Rejected(Rejection.BAD_SIGNATURE, SIGNATURE_HEADER + " is not sha256=<64 hex digits>"));
        }
        String timestamp = h.get(TIMESTAMP_HEADER);
        if (timestamp != null) {
            long sentAt;
            try {
                sentAt = Long.parseLong(timestamp.strip());
            } catch (NumberFormatException e) {
                return Optional.of(new Rejected(Rejection.STALE_TIMESTAMP, TIMESTAMP_HEADER + " '" + timestamp
                        + "' is not Unix seconds"));
            }
            long skew = Math.abs(clock.instant().getEpochSecond() - sentAt);
            if (skew > tolerance.toSeconds()) {
                return Optional.of(new Rejected(Rejection.STALE_TIMESTAMP, TIMESTAMP_HEADER + " is " + skew + "s away from this"
                        + " server's time; the limit is " + tolerance.toSeconds() + "s (check the sender's clock)"));
            }
        }
        String delivery = h.getOrDefault(DELIVERY_HEADER, h.get(GITHUB_DELIVERY_HEADER));
        if (delivery == null || delivery.isBlank()) {
            return Optional.of(new Rejected(Rejection.MISSING_DELIVERY_ID, "Missing " + DELIVERY_HEADER + " (or "
                    + GITHUB_DELIVERY_HEADER + ") header; send a unique id per delivery"));
        }
        return Optional.empty();
    }

    /**
     * Verifies one call: the header checks, then the signature over the body, then replay. The delivery id is
     * recorded only when everything else checks out, so unsigned calls cannot fill the delivery log.
     *
     * @param headers the request headers; names are matched ignoring case
     * @param body    the raw request body, exactly as received
     */
    public Verdict verify(Map<String, String> headers, byte[] body) {
        Optional<Rejected> headerProblem = checkHeaders(headers);
        if (headerProblem.isPresent()) {
            return headerProblem.get();
        }
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        if (!MessageDigest.isEqual(hmac(body), signatureBytes(h.get(SIGNATURE_HEADER)))) {
            return new Rejected(Rejection.BAD_SIGNATURE, SIGNATURE_HEADER + " does not match the body; check that the"
                    + " sender uses the same secret and signs the raw body");
        }
        String delivery = h.getOrDefault(DELIVERY_HEADER, h.get(GITHUB_DELIVERY_HEADER));
        if (!deliveries.recordIfNew(delivery, clock.instant())) {
            return new Rejected(Rejection.REPLAYED_DELIVERY, "Delivery " + delivery + " was already accepted");
        }
        return new Accepted(new LaunchReason.Webhook(delivery));
    }

    /** The 32 bytes of a {@code sha256=<64 hex>} header, or null when it is not one. */
    private static byte[] signatureBytes(String signature) {
        if (!signature.startsWith(PREFIX)) {
            return null;
        }
        try {
            byte[] given = HexFormat.of().parseHex(signature.substring(PREFIX.length()).strip());
            return given.length == 32 ? given : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code sha256=<hex>} for {@code body}: what a sender puts in {@value #SIGNATURE_HEADER}. */
    public String sign(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(body));
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
