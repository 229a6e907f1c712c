package dev.flywheel.schedule.daemon;

import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;

/**
 * How much the scheduler's webhook endpoint lets one client take, so slow or idle connections cannot hold back the
 * deliveries that matter.
 *
 * @param maxConnections connections open at once; one more is answered 503 at once
 * @param requestTimeout how long a request (head and body) may take to arrive; a slower one gets 408 and is closed
 * @param maxBodyBytes   the largest body accepted (413 above, refused before it is read)
 */
public record WebhookLimits(int maxConnections, Duration requestTimeout, int maxBodyBytes) {
    public WebhookLimits {
        if (maxConnections < 1 || requestTimeout == null || requestTimeout.toMillis() < 1 || maxBodyBytes < 0) {
            throw FlywheelException.invalid("Webhook limits need at least 1 connection, a request timeout of at least 1 ms"
                    + " and a body limit of at least 0 bytes; got " + maxConnections + ", " + requestTimeout + ", " + maxBodyBytes);
        }
    }

    /** 64 connections, 10 seconds per request, 1 MiB bodies. */
    public static WebhookLimits defaults() {
        return new WebhookLimits(64, Duration.ofSeconds(10), 1 << 20);
    }
}
