package dev.flywheel.sdk.alert;

/**
 * What became of one alert.
 *
 * @param delivered whether it reached its destination (or was deliberately not sent: see {@code detail})
 * @param detail    for people: where it went, or why it did not
 */
public record AlertDelivery(boolean delivered, String detail) {
    public static AlertDelivery delivered(String detail) {
        return new AlertDelivery(true, detail);
    }

    public static AlertDelivery failed(String detail) {
        return new AlertDelivery(false, detail);
    }
}
