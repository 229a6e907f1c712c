package dev.flywheel.schedule.trigger;

import dev.flywheel.schedule.trigger.WebhookVerifier.Accepted;
import dev.flywheel.schedule.trigger.WebhookVerifier.Rejected;
import dev.flywheel.schedule.trigger.WebhookVerifier.Rejection;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookVerifierTest {
    private static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = MutableClock.at("2026-04-01T12:00:00Z");
    private final WebhookVerifier verifier = new WebhookVerifier(SECRET,
            DeliveryLog.inMemory(clock, Duration.ofDays(1)), clock, Duration.ofMinutes(5));

    /** Signs like a sender would, independently of the verifier's own code. */
    private static String senderSignature(byte[] secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static Map<String, String> headers(String signature, String delivery) {
        Map<String, String> h = new HashMap<>();
        if (signature != null) {
            h.put("x-hub-signature-256", signature); // header names are case-insensitive
        }
        if (delivery != null) {
            h.put("X-Flywheel-Delivery", delivery);
        }
        return h;
    }

    private static Rejection rejection(WebhookVerifier.Verdict verdict) {
        assertThat(verdict).isInstanceOf(Rejected.class);
        return ((Rejected) verdict).rejection();
    }

    @Test
    void validSignatureIsAcceptedWithItsDeliveryId() throws Exception {
        WebhookVerifier.Verdict verdict = verifier.verify(headers(senderSignature(SECRET, BODY), "d-1"), BODY);

        assertThat(verdict).isEqualTo(new Accepted(new LaunchReason.Webhook("d-1")));
        assertThat(verifier.sign(BODY)).isEqualTo(senderSignature(SECRET, BODY));
    }

    @Test
    void githubDeliveryHeaderIsUsedWhenFlywheelsIsAbsent() throws Exception {
        Map<String, String> h = headers(senderSignature(SECRET, BODY), null);
        h.put("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");

        assertThat(verifier.verify(h, BODY))
                .isEqualTo(new Accepted(new LaunchReason.Webhook("72d3162e-cc78-11e3-81ab-4c9367dc0958")));
    }

    @Test
    void forgedSignaturesAreRejectedAndDoNotUseUpTheDeliveryId() throws Exception {
        String wrongSecret = senderSignature("guess".getBytes(StandardCharsets.UTF_8), BODY);
        byte[] tampered = "{\"ref\":\"refs/heads/evil\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(rejection(verifier.verify(headers(wrongSecret, "d-2"), BODY))).isEqualTo(Rejection.BAD_SIGNATURE);
        assertThat(rejection(verifier.verify(headers(senderSignature(SECRET, BODY), "d-2"), tampered)))
                .isEqualTo(Rejection.BAD_SIGNATURE);
        Rejected malformed = (Rejected) verifier.verify(headers("sha1=abcdef", "d-2"), BODY);
        assertThat(malformed.rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
        assertThat(malformed.message()).contains("sha256=<64 hex digits>");
        assertThat(rejection(verifier.verify(headers("sha256=zz", "d-2"), BODY))).isEqualTo(Rejection.BAD_SIGNATURE);

        assertThat(verifier.verify(headers(senderSignature(SECRET, BODY), "d-2"), BODY)).isInstanceOf(Accepted.class);
    }

    @Test
    void replayedDeliveryIsRejectedWithConflict() throws Exception {
        Map<String, String> h = headers(senderSignature(SECRET, BODY), "d-3");
        assertThat(verifier.verify(h, BODY)).isInstanceOf(Accepted.class);

        clock.advance(Duration.ofHours(2));
        Rejected replay = (Rejected) verifier.verify(h, BODY);

        assertThat(replay.rejection()).isEqualTo(Rejection.REPLAYED_DELIVERY);
        assertThat(replay.rejection().httpStatus()).isEqualTo(409);
        assertThat(replay.message()).contains("d-3");
    }

    @Test
    void staleOrMalformedTimestampIsRejected() throws Exception {
        Map<String, String> h = headers(senderSignature(SECRET, BODY), "d-4");
        h.put("X-Flywheel-Timestamp", String.valueOf(clock.instant().minus(Duration.ofMinutes(6)).getEpochSecond()));
        Rejected stale = (Rejected) verifier.verify(h, BODY);
        assertThat(stale.rejection()).isEqualTo(Rejection.STALE_TIMESTAMP);
        assertThat(stale.message()).contains("360s").contains("300s");

        h.put("X-Flywheel-Timestamp", "yesterday");
        assertThat(rejection(verifier.verify(h, BODY))).isEqualTo(Rejection.STALE_TIMESTAMP);

        h.put("X-Flywheel-Timestamp", String.valueOf(clock.instant().plus(Duration.ofMinutes(4)).getEpochSecond()));
        assertThat(verifier.verify(h, BODY)).isInstanceOf(Accepted.class);
    }

    @Test
    void missingHeadersAreRejectedWithDistinctReasons() throws Exception {
        Rejected noSignature = (Rejected) verifier.verify(headers(null, "d-5"), BODY);
        assertThat(noSignature.rejection()).isEqualTo(Rejection.MISSING_SIGNATURE);
        assertThat(noSignature.rejection().httpStatus()).isEqualTo(401);
        assertThat(noSignature.message()).contains("X-Hub-Signature-256");

        Rejected noDelivery = (Rejected) verifier.verify(headers(senderSignature(SECRET, BODY), null), BODY);
        assertThat(noDelivery.rejection()).isEqualTo(Rejection.MISSING_DELIVERY_ID);
        assertThat(noDelivery.message()).contains("X-Flywheel-Delivery").contains("X-GitHub-Delivery");
    }

    @Test
    void deliveryIdsAreForgottenAfterTheRetention() {
        DeliveryLog log = DeliveryLog.inMemory(clock, Duration.ofHours(1));
        assertThat(log.recordIfNew("d-6", clock.instant())).isTrue();
        assertThat(log.recordIfNew("d-6", clock.instant())).isFalse();

        clock.advance(Duration.ofMinutes(61));
        assertThat(log.recordIfNew("d-6", clock.instant())).isTrue();
    }

    @Test
    void emptySecretIsRejected() {
        assertThatThrownBy(() -> new WebhookVerifier(new byte[0], DeliveryLog.inMemory(clock, Duration.ofDays(1)),
                clock, Duration.ofMinutes(5))).hasMessageContaining("secret is empty");
    }
}
