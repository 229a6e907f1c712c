package dev.flywheel.registry;

import dev.flywheel.sdk.FlywheelException;

import java.util.Objects;

/**
 * A way to name one version of a registered model: by number ({@code bike 3}), by alias ({@code bike @champion})
 * or by stage ({@code bike production}: the newest version in that stage).
 *
 * <p>This type owns the grammar of those names, both ways: {@link #parse(String, String)} reads a selector
 * ({@code 3}, {@code @champion}, {@code production}) and {@link #selector()} writes it back;
 * {@link #parse(String)} reads the one-word form {@code NAME}, {@code NAME:VERSION}, {@code NAME:STAGE} or
 * {@code NAME@ALIAS}. Nothing else in Flywheel parses or builds these strings.
 */
public sealed interface ModelRef {
    /** What starts an alias selector: {@code @champion}. */
    String ALIAS_PREFIX = "@";

    String model();

    /** The selector {@link #parse(String, String)} reads back to this reference: {@code 3}, {@code @champion}, {@code production}. */
    String selector();

    /** How a message names the version without the model: {@code version 3}, {@code @champion}, {@code production}. */
    String describe();

    /** {@code 3}, {@code @champion} or a stage name ({@code production}, {@code staging}, ...). */
    static ModelRef parse(String model, String versionAliasOrStage) {
        Objects.requireNonNull(model, "model");
        String t = versionAliasOrStage == null ? "" : versionAliasOrStage.trim();
        if (t.isEmpty()) {
            throw FlywheelException.invalid("No version given for model '" + model + "'; give a number (3), an alias (@champion) "
                    + "or a stage (production)");
        }
        if (t.startsWith(ALIAS_PREFIX)) {
            return new Alias(model, t.substring(ALIAS_PREFIX.length()));
        }
        if (t.chars().allMatch(Character::isDigit)) {
            try {
                return new Version(model, Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw FlywheelException.invalid("Version '" + t + "' of model '" + model + "' is too large; versions are numbered from 1");
            }
        }
        try {
            return new InStage(model, Stage.parse(t));
        } catch (FlywheelException e) {
            throw FlywheelException.invalid("'" + t + "' is not a version of model '" + model + "': give a number (3), an alias "
                    + "with @ (@champion) or a stage (none, staging, production, archived)");
        }
    }

    /**
     * The one-word form: {@code NAME} (its production version), {@code NAME:VERSION}, {@code NAME:STAGE} or
     * {@code NAME@ALIAS}.
     */
    static ModelRef parse(String reference) {
        String text = reference == null ? "" : reference.strip();
        int at = text.indexOf(ALIAS_PREFIX);
        int colon = text.indexOf(':');
        if (text.isEmpty() || at == 0 || colon == 0) {
            throw FlywheelException.invalid("'" + text + "' names no model; write NAME, NAME:VERSION, NAME:STAGE or NAME@ALIAS");
        }
        if (at > 0 && (colon < 0 || at < colon)) {
            return parse(text.substring(0, at), text.substring(at));
        }
        if (colon > 0) {
            return parse(text.substring(0, colon), text.substring(colon + 1));
        }
        return new InStage(text, Stage.PRODUCTION);
    }

    /** An alias as users may type it, with or without {@code @}: {@code @champion} and {@code champion} are {@code champion}. */
    static String aliasName(String text) {
        Objects.requireNonNull(text, "alias");
        String t = text.strip();
        return t.startsWith(ALIAS_PREFIX) ? t.substring(ALIAS_PREFIX.length()) : t;
    }

    /** The selector of an alias: {@code champion} is {@code @champion}. */
    static String aliasSelector(String alias) {
        return ALIAS_PREFIX + alias;
    }

    static ModelRef version(String model, int version) {
        return new Version(model, version);
    }

    static ModelRef alias(String model, String alias) {
        return new Alias(model, alias);
    }

    static ModelRef stage(String model, Stage stage) {
        return new InStage(model, stage);
    }

    record Version(String model, int version) implements ModelRef {
        public Version {
            Objects.requireNonNull(model, "model");
            if (version < 1) {
                throw FlywheelException.invalid("Version " + version + " of model '" + model + "' does not exist: versions are numbered from 1");
            }
        }

        @Override
        public String selector() {
            return Integer.toString(version);
        }

        @Override
        public String describe() {
            return "version " + version;
        }

        @Override
        public String toString() {
            return model + " " + version;
        }
    }

    record Alias(String model, String alias) implements ModelRef {
        public Alias {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(alias, "alias");
        }

        @Override
        public String selector() {
            return aliasSelector(alias);
        }

        @Override
        public String describe() {
            return selector();
        }

        @Override
        public String toString() {
            return model + " " + selector();
        }
    }

    record InStage(String model, Stage stage) implements ModelRef {
        public InStage {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(stage, "stage");
        }

        @Override
        public String selector() {
            return stage.label();
        }

        @Override
        public String describe() {
            return selector();
        }

        /** As {@code flywheel models deploy} takes it: {@code bike --stage production}. */
        @Override
        public String toString() {
            return model + " --stage " + stage.label();
        }
    }
}
