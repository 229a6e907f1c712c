package dev.flywheel.schedule;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.References;
import dev.flywheel.sdk.secret.SecretsStore;

import dev.flywheel.schedule.store.TriggerTable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where webhook triggers keep their signing secrets: in the project's secrets store (encrypted at rest), one secret
 * {@code webhook-<trigger id>} with the key {@code secret}; the triggers table holds only the reference
 * {@code {{secret.webhook-<id>.secret}}}. Triggers created before there was a secrets store kept a plain secret in
 * their row: {@link #moveIntoStore} moves it (the scheduler does so when it starts), and until then it still verifies.
 */
public final class WebhookSecrets {
    static final String KEY = "secret";

    private final Supplier<SecretsStore> store;

    /** {@code store} is asked for lazily: schedules that never touch a webhook never open the secrets store. */
    public WebhookSecrets(Supplier<SecretsStore> store) {
        this.store = java.util.Objects.requireNonNull(store, "store");
    }

    private WebhookSecrets() {
        this.store = null;
    }

    /**
     * For code without a project's secrets store (the schedule module's own tests, embedders): secrets stay in the
     * trigger's row as they are, as before there was a secrets store.
     */
    public static WebhookSecrets inRows() {
        return new WebhookSecrets();
    }

    static String name(String triggerId) {
        return "webhook-" + triggerId;
    }

    /** The reference the trigger's row keeps instead of {@code plain} ({@code plain} itself without a secrets store). */
    TriggerSpec.Webhook reference(String triggerId, TriggerSpec.Webhook plain) {
        if (store == null) {
            return plain;
        }
        return new TriggerSpec.Webhook("{{" + References.SECRET + "." + name(triggerId) + "." + KEY + "}}");
    }

    /** Stores {@code plain} for the trigger, under the name its {@link #reference} names. */
    void put(String triggerId, TriggerSpec.Webhook plain) {
        if (store != null) {
            store.get().put(name(triggerId), Map.of(KEY, plain.secret()));
        }
    }

    /** Removes the trigger's secret, if it has one in the store. */
    void delete(String triggerId) {
        if (store == null) {
            return;
        }
        store.get().delete(name(triggerId));
    }

    /**
     * Moves every plain signing secret still kept in a webhook trigger's row into the secrets store, leaving the
     * reference in the row; returns how many moved. The secret is stored before the row changes, so a failure part-way
     * leaves a row that still verifies (plain, or referring to a stored secret), never one naming a missing secret. A
     * trigger changed or deleted meanwhile keeps its row, and the copy is taken back out of the store.
     */
    public int moveIntoStore(TriggerTable triggers, Instant now) {
        if (store == null) {
            return 0;
        }
        int moved = 0;
        for (TriggerRecord t : triggers.list()) {
            if (t.spec() instanceof TriggerSpec.Webhook plain && !References.isSingleSecretReference(plain.secret())) {
                put(t.id(), plain);
                if (triggers.replaceSpec(t.id(), plain, reference(t.id(), plain), now)) {
                    moved++;
                } else {
                    delete(t.id());
                }
            }
        }
        return moved;
    }

    /**
     * The signing secret of a webhook trigger: the stored reference resolved, or a plain secret of an older row as it is.
     *
     * @throws FlywheelException NOT_FOUND when the referenced secret was deleted from the store
     */
    public String resolve(TriggerSpec.Webhook spec) {
        if (!References.isSingleSecretReference(spec.secret())) {
            return spec.secret();
        }
        if (store == null) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "The webhook secret " + spec.secret() + " is in a secrets store this"
                    + " scheduler was not given");
        }
        List<References.Reference> refs = References.parse(spec.secret());
        References.Reference ref = refs.getFirst();
        return store.get().get(ref.name()).map(s -> s.value(ref.key())).orElseThrow(() -> new FlywheelException(ErrorCode.NOT_FOUND,
                "The webhook secret " + ref + " is gone from the secrets store; recreate the trigger: flywheel triggers delete ID && "
                        + "flywheel triggers create webhook PIPELINE"));
    }
}
