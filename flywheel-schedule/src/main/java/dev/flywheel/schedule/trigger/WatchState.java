package dev.flywheel.schedule.trigger;

/**
 * What a drift or performance trigger remembers between polls, persisted by the scheduler.
 *
 * @param checkedAtMillis when the model was last read (0: never); the next read is {@code checkEvery} later
 * @param firedAtMillis   when it last fired (0: never); it does not fire again within its cooldown
 * @param last            what the last reading said, for {@code flywheel triggers describe}
 */
public record WatchState(long checkedAtMillis, long firedAtMillis, String last) {
    public static WatchState initial() {
        return new WatchState(0, 0, "not checked yet");
    }
}
