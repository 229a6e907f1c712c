package dev.flywheel.schedule;

import java.util.List;

/**
 * A trigger with how its last fires went.
 *
 * @param lastFires newest first
 */
public record TriggerDescription(TriggerRecord trigger, List<FireRecord> lastFires) {
}
