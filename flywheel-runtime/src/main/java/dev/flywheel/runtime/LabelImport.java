package dev.flywheel.runtime;

import java.time.Duration;

/**
 * What one read of a {@link LabelTable} brought.
 *
 * @param model       the model the labels are for
 * @param source      the table read, password masked
 * @param read        rows the query returned (at or after the watermark)
 * @param added       labels kept by this read: new ones, or changed values
 * @param alreadyKept rows skipped because their label was kept before with the same value
 * @param notLabelled rows skipped because their label is NULL (not known yet)
 * @param watermark   the greatest watermark value read so far, as text; null without a watermark column
 * @param pollEvery   how often the scheduler daemon reads the table again, or null when it does not
 */
public record LabelImport(String model, String source, long read, long added, long alreadyKept, long notLabelled, String watermark,
                          Duration pollEvery) {
}
