package dev.flywheel.registry;

import dev.flywheel.sdk.FlywheelException;

import java.util.Objects;

/**
 * A way to name one version of a registered model: by number ({@code bike 3}), by alias ({@code bike @champion})
 * or by stage ({@code bike production}: the newest version in that stage).
 */
public sealed interface ModelRef {
    String model();

    /** {@code 3}, {@code @champion} or a stage name ({@code production}, {@code staging}, ...). */
    static ModelRef parse(String model, String versionAliasOrStage) {
        Objects.requireNonNull(model, "model");
        String t = versionAliasOrStage == null ? "" : versionAliasOrStage.trim();
        if (t.isEmpty()) {
            throw FlywheelException.invalid("No version given for model '" + model + "'; give a number (3), an alias (@champion) "
                    + "or a stage (production)");
        }
        if (t.startsWith("@")) {
            return new Alias(model, t.substring(1));
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
        public String toString() {
            return model + " @" + alias;
        }
    }

    record InStage(String model, Stage stage) implements ModelRef {
        public InStage {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(stage, "stage");
        }

        @Override
        public String toString() {
            return model + " --stage " + stage.label();
        }
    }
}
