package dev.flywheel.schedule.store;

import dev.flywheel.schedule.UnreadableSource;

import java.util.List;

/** The rows of a schedule table: those whose definition could be read, and those that could not. */
public record Rows<T>(List<T> readable, List<UnreadableSource> unreadable) {
    public Rows {
        readable = List.copyOf(readable);
        unreadable = List.copyOf(unreadable);
    }
}
