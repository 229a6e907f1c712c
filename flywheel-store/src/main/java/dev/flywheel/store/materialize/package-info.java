/**
 * Materializers turn step outputs into artifact bytes and back: the built-in formats and
 * {@link dev.flywheel.store.materialize.Materializers}, the lookup by type and by stored format.
 */
package dev.flywheel.store.materialize;
