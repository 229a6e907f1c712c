package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.registry.DataArtifact;
import dev.flywheel.registry.Lineage;
import dev.flywheel.registry.ModelComparison;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.RegisteredModel;
import dev.flywheel.registry.SignatureFiles;
import dev.flywheel.registry.Stage;
import dev.flywheel.registry.StageChange;
import dev.flywheel.registry.StageTransition;
import dev.flywheel.deploy.Deployments;
import dev.flywheel.deploy.Rollout;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.ModelSignature;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

@Command(name = "models",
        footer = {"  flywheel models list", "  flywheel models versions demand", "  flywheel models promote demand 3 --stage production"},
        description = "Model registry: versions, stages, aliases, lineage; deploy a version.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Versions.class, ModelsCommand.Describe.class, ModelsCommand.Promote.class,
                ModelsCommand.Alias.class, ModelsCommand.Rollback.class, ModelsCommand.Delete.class, ModelsCommand.Import.class,
                ModelsCommand.Compare.class, ModelsCommand.History.class, ModelsDeployCommand.class})
public final class ModelsCommand {

    /** Who the stage history records: --actor, else the OS user. */
    static String actor(String given) {
        return given != null && !given.isBlank() ? given : System.getProperty("user.name", "unknown");
    }

    @Command(name = "list",
            footer = {"  flywheel models list", "  flywheel models list --json"},
            description = "List registered models.")
    static final class ListModels implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Listing.of("No models yet. A pipeline step that returns a Model registers one, or: flywheel models import NAME --onnx FILE",
                            "NAME", "VERSIONS", "LATEST", "PRODUCTION", "ALIASES", "UPDATED")
                    .row((RegisteredModel m) -> new Object[]{m.name(), m.versionCount(), m.latestVersion() == 0 ? "-" : m.latestVersion(),
                            m.productionVersion() == null ? "-" : m.productionVersion(), aliases(m.aliases()), Formats.time(m.updatedAt())})
                    .print(spec, json, flywheel -> flywheel.models().list());
        }

        private static String aliases(Map<String, Integer> aliases) {
            return aliases.isEmpty() ? "-" : aliases.entrySet().stream().map(e -> ModelRef.aliasSelector(e.getKey()) + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }

    @Command(name = "versions",
            footer = {"  flywheel models versions demand"},
            description = "List the versions of a model, oldest first.")
    static final class Versions implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                List<ModelVersion> versions = flywheel.models().versions(name);
                if (json) {
                    Json.print(out, versions);
                    return;
                }
                if (versions.isEmpty()) {
                    out.println("Model '" + name + "' has no versions.");
                    return;
                }
                TextTable t = new TextTable("VERSION", "STAGE", "ALIASES", "FORMAT", "METRICS", "SOURCE", "CREATED");
                for (ModelVersion v : versions) {
                    t.row(v.version(), v.stage().label(), v.aliases().isEmpty() ? "-" : v.aliases().stream().map(ModelRef::aliasSelector).collect(Collectors.joining(" ")),
                            v.format(), metrics(v.metrics()), source(v.lineage()), Formats.time(v.createdAt()));
                }
                t.print(out);
            }
        }
    }

    /** VERSION, @ALIAS or --stage S: exactly one. */
    static ModelRef ref(String name, String versionOrAlias, Stage stage) {
        if ((versionOrAlias == null) == (stage == null)) {
            throw FlywheelException.invalid("Name one version of model '" + name + "': a number (3), an alias (@champion) or --stage STAGE");
        }
        return stage != null ? ModelRef.stage(name, stage) : ModelRef.parse(name, versionOrAlias);
    }

    static Stage stage(String text) {
        return text == null ? null : Stage.parse(text);
    }

    @Command(name = "describe",
            footer = {"  flywheel models describe demand 3",
                    "  flywheel models describe demand --stage production --provenance",
                    "  flywheel models describe demand @champion --json"},
            description = "Show one version: stage, aliases, file, signature, metrics, lineage and data hashes.")
    static final class Describe implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION|@ALIAS", description = "A version number or @alias.")
        String version;

        @Option(names = "--stage", paramLabel = "STAGE", description = "The newest version in this stage (none, staging, production, archived).")
        String stage;

        @Option(names = "--provenance", description = "Also print the version's provenance.json.")
        boolean provenance;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            ModelRef ref = ref(name, version, stage(stage));
            try (Flywheel flywheel = Project.existing(spec)) {
                ModelRegistry models = flywheel.models();
                ModelVersion v = models.get(ref);
                if (json) {
                    Json.print(out, v);
                    return;
                }
                out.println("Model:        " + v.model());
                out.println("Version:      " + v.version());
                out.println("Stage:        " + v.stage().label() + " (since " + Formats.time(v.stageChangedAt()) + ")");
                out.println("Aliases:      " + (v.aliases().isEmpty() ? "-" : v.aliases().stream().map(ModelRef::aliasSelector).collect(Collectors.joining(" "))));
                out.println("Format:       " + v.format());
                out.println("File:         " + models.locate(v.file()));
                out.println("SHA-256:      " + v.file().sha256());
                out.println("Size:         " + Formats.bytes(v.file().size()));
                out.println("Provenance:   " + models.locate(v.provenance()));
                if (v.signature().hasTensors()) {
                    // What OIP takes and answers; the columns are what dataframe clients send.
                    out.println("Inputs:       " + tensors(v.signature().inputTensors()));
                    out.println("Outputs:      " + tensors(v.signature().outputTensors()));
                    out.println("Columns:      " + features(v.signature().inputs()));
                } else {
                    out.println("Inputs:       " + features(v.signature().inputs()));
                    out.println("Outputs:      " + features(v.signature().outputs()));
                }
                out.println("Metrics:      " + metrics(v.metrics()));
                if (!v.description().isEmpty()) {
                    out.println("Description:  " + v.description());
                }
                if (!v.tags().isEmpty()) {
                    out.println("Tags:         " + v.tags());
                }
                out.println("Created:      " + Formats.time(v.createdAt()) + " by " + v.createdBy());
                switch (v.lineage()) {
                    case Lineage.FromRun r -> {
                        out.println("Source:       pipeline " + r.pipeline() + ", run " + r.runId() + ", step " + r.step());
                        out.println("Code hash:    " + r.codeHash());
                        if (!r.data().isEmpty()) {
                            out.println();
                            TextTable t = new TextTable("DATA", "ARTIFACT", "DEPTH", "SIZE", "SHA-256");
                            for (DataArtifact d : r.data()) {
                                t.row(d.name(), Formats.shortId(d.artifactId()), d.depth(), Formats.bytes(d.size()), d.sha256());
                            }
                            t.print(out);
                        }
                    }
                    case Lineage.Imported i -> out.println("Source:       imported from " + i.file());
                }
                if (provenance) {
                    out.println();
                    out.println(models.provenance(v));
                }
                out.flush();
            }
        }

        private static String tensors(List<dev.flywheel.sdk.model.TensorSpec> tensors) {
            return tensors.stream().map(Object::toString).collect(Collectors.joining(", "));
        }

        private static String features(List<Feature> features) {
            return features.isEmpty() ? "-" : features.stream().map(f -> f.name() + ":" + f.type().name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
    }

    @Command(name = "promote",
            footer = {"  flywheel models promote demand 3 --stage production",
                    "  flywheel models promote demand 3 --stage production --registry-only",
                    "  flywheel models promote demand 4 --stage staging --actor alice",
                    "  flywheel models promote demand 7 --from-stack staging --to-stack production"},
            description = {"Move a version to a stage; promoting to production archives the current production version.",
                    "Servers that follow the stage switch to the version with no downtime (--registry-only to skip).",
                    "With --from-stack/--to-stack: copy the version, its files and lineage into the other stack's stores (checked"
                            + " by sha256) and make it production there."})
    static final class Promote implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION", description = "A version number (see: flywheel models versions NAME).")
        int version;

        @Option(names = "--stage", paramLabel = "STAGE", description = "none, staging, production or archived (with --to-stack: production).")
        String stage;

        @Option(names = "--from-stack", paramLabel = "STACK", description = "Copy the version from this stack's stores (with --to-stack).")
        String fromStack;

        @Option(names = "--to-stack", paramLabel = "STACK", description = "Into this stack's stores, where it becomes production.")
        String toStack;

        @Option(names = "--deploy", description = "With --to-stack: start a server on that stack when none serves the model yet.")
        boolean deploy;

        @Option(names = "--actor", paramLabel = "WHO", description = "Recorded in the stage history (default: the OS user).")
        String actor;

        @Option(names = "--registry-only", description = "Change the registry only; servers that follow the stage keep their version.")
        boolean registryOnly;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            if (fromStack != null || toStack != null) {
                acrossStacks(out);
                return;
            }
            if (stage == null) {
                throw dev.flywheel.sdk.FlywheelException.invalid("Say where the version goes: --stage production (on this stack), or"
                        + " --from-stack staging --to-stack production");
            }
            Stage target = Stage.parse(stage);
            try (Flywheel flywheel = Project.existing(spec)) {
                Deployments.Change change = flywheel.deployments().promote(name, version, target, actor(actor), !registryOnly, ROLLOUT_TIMEOUT);
                if (json) {
                    Json.print(out, change);
                    return;
                }
                StageTransition t = change.transition();
                if (t.changes().isEmpty()) {
                    out.println("Model " + name + " version " + version + " is already " + t.version().stage().label() + "; nothing changed.");
                } else {
                    List<Integer> archived = t.leftProduction().stream().filter(v -> v != version).toList();
                    out.println("Model " + name + " version " + version + " is now " + t.version().stage().label()
                            + (archived.isEmpty() ? "" : " (version " + archived.stream().map(String::valueOf).collect(Collectors.joining(", "))
                            + " archived)") + ".");
                }
                printRollout(out, change.rollout(), registryOnly);
            }
        }

        private void acrossStacks(PrintWriter out) {
            if (fromStack == null || toStack == null) {
                throw dev.flywheel.sdk.FlywheelException.invalid("--from-stack and --to-stack go together: flywheel models promote " + name
                        + " " + version + " --from-stack staging --to-stack production");
            }
            if (stage != null && Stage.parse(stage) != Stage.PRODUCTION || registryOnly) {
                throw dev.flywheel.sdk.FlywheelException.invalid("A version promoted to another stack becomes production there and is"
                        + " rolled out; leave out --stage and --registry-only");
            }
            try (Flywheel flywheel = Project.forRunning(spec, null, fromStack)) {
                CiCommand.print(out, flywheel.promoteTo(toStack, name, String.valueOf(version), deploy, actor(actor), ROLLOUT_TIMEOUT), json);
            }
        }
    }

    static final java.time.Duration ROLLOUT_TIMEOUT = java.time.Duration.ofSeconds(120);

    /** The roll-out's lines, or why there was none. */
    static void printRollout(PrintWriter out, Optional<Rollout> rollout, boolean registryOnly) {
        if (registryOnly) {
            out.println("Registry only: servers keep their versions (flywheel served-models list shows which differ; roll out with: "
                    + "flywheel served-models sync --model NAME).");
            return;
        }
        if (rollout.isEmpty()) {
            return;
        }
        if (rollout.get().changes().isEmpty()) {
            out.println("No server follows a stage or alias of model " + rollout.get().model() + "; nothing to roll out.");
            return;
        }
        for (Rollout.ServiceChange c : rollout.get().changes()) {
            out.println("  " + c.describe());
        }
        if (!rollout.get().complete()) {
            throw new FlywheelException(ErrorCode.DEPLOY_FAILED, "The registry changed, but the roll-out failed for "
                    + rollout.get().changes().stream().filter(c -> c.outcome() == Rollout.Outcome.FAILED).map(Rollout.ServiceChange::label)
                    .collect(Collectors.joining(", ")) + " (they keep their version); retry with: flywheel served-models sync --model "
                    + rollout.get().model());
        }
    }

    @Command(name = "alias",
            footer = {"  flywheel models alias demand 3 champion", "  flywheel models alias demand --delete champion"},
            description = "Point an alias (for example champion) at a version; the alias moves if another version has it.",
            usageHelpAutoWidth = true, customSynopsis = {"flywheel models alias NAME VERSION ALIAS", "flywheel models alias NAME --delete ALIAS"})
    static final class Alias implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @Parameters(index = "1..2", arity = "0..2", paramLabel = "VERSION ALIAS", description = "The version, then the alias to point at it.")
        List<String> args = new ArrayList<>();

        @Option(names = "--delete", paramLabel = "ALIAS", description = "Remove this alias from the model.")
        String delete;

        @Option(names = "--registry-only", description = "Change the registry only; servers that follow the alias keep their version.")
        boolean registryOnly;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            if (delete != null ? !args.isEmpty() : args.size() != 2) {
                throw FlywheelException.invalid("Use: flywheel models alias " + name + " VERSION ALIAS, or: flywheel models alias " + name
                        + " --delete ALIAS");
            }
            try (Flywheel flywheel = Project.existing(spec)) {
                if (delete != null) {
                    String a = ModelRef.aliasName(delete);
                    flywheel.models().deleteAlias(name, a);
                    out.println("Removed alias " + ModelRef.aliasSelector(a) + " of model " + name + ".");
                    return;
                }
                int version;
                try {
                    version = Integer.parseInt(args.get(0));
                } catch (NumberFormatException e) {
                    throw FlywheelException.invalid("VERSION must be a number, got '" + args.get(0) + "' (flywheel models versions " + name + ")");
                }
                String a = ModelRef.aliasName(args.get(1));
                Optional<Rollout> rollout = flywheel.deployments().alias(name, version, a, !registryOnly, ROLLOUT_TIMEOUT);
                out.println("Model " + ModelRef.alias(name, a) + " -> version " + version + ".");
                printRollout(out, rollout, registryOnly);
            }
        }

    }

    @Command(name = "rollback",
            footer = {"  flywheel models rollback demand", "  flywheel models rollback demand --registry-only"},
            description = {"Return production to the previous production version; the current one is archived.",
                    "Servers that follow production switch to it with no downtime (--registry-only to skip)."})
    static final class Rollback implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @Option(names = "--actor", paramLabel = "WHO", description = "Recorded in the stage history (default: the OS user).")
        String actor;

        @Option(names = "--registry-only", description = "Change the registry only; servers keep their versions.")
        boolean registryOnly;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                Deployments.Change change = flywheel.deployments().rollback(name, actor(actor), !registryOnly, ROLLOUT_TIMEOUT);
                if (json) {
                    Json.print(out, change);
                    return;
                }
                StageTransition t = change.transition();
                String archived = t.leftProduction().stream().map(String::valueOf).collect(Collectors.joining(", "));
                out.println("Model " + name + " rolled back: version " + t.version().version() + " is production, version " + archived + " archived.");
                printRollout(out, change.rollout(), registryOnly);
            }
        }
    }

    @Command(name = "delete",
            footer = {"  flywheel models delete demand 2", "  flywheel models delete demand 2 -y", "  flywheel models delete demand 2 -y --force"},
            description = {"Delete a version (not the production one). Its stage history is kept.",
                    "A version a running server serves is refused unless --force (the server keeps serving its own copy)."})
    static final class Delete implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION", description = "A version number (see: flywheel models versions NAME).")
        int version;

        @Mixin
        Confirmation confirmation;

        @Option(names = "--actor", paramLabel = "WHO", description = "Recorded in the log (default: the OS user).")
        String actor;

        @Option(names = "--force", description = "Delete it even though a running server serves it.")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                ModelRegistry models = flywheel.models();
                models.get(name, version);
                confirmation.require("delete version " + version + " of model " + name, name, String.valueOf(version));
                List<ServiceRecord> serving = flywheel.deployments().deleteVersion(name, version, force, actor(actor));
                out.println("Deleted model " + name + " version " + version + ".");
                for (ServiceRecord r : serving) {
                    out.println("Still served by service " + r.label() + " (" + r.status().text() + (r.predictionUrl() == null ? "" : ", "
                            + r.predictionUrl()) + ") from its own copy of the model file; switch it with: flywheel models deploy " + name
                            + " VERSION --replace --service " + r.label());
                }
            }
        }
    }

    @Command(name = "import",
            footer = {"  flywheel models import churn --onnx model.onnx",
                    "  flywheel models import churn --onnx model.onnx --features age,tenure,plan",
                    "  flywheel models import demand --xgboost model.ubj --signature sig.json"},
            description = "Register a model file trained elsewhere (ONNX or XGBoost) as a new version. An ONNX file's "
                    + "signature is its graph's tensors; bytes already registered under NAME are that version (--new-version forces another).")
    static final class Import implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        FileChoice file;

        static final class FileChoice {
            @Option(names = "--onnx", paramLabel = "FILE", description = "An ONNX model file.")
            Path onnx;

            @Option(names = "--xgboost", paramLabel = "FILE", description = "An XGBoost model file (UBJSON, JSON or binary).")
            Path xgboost;

            @Option(names = "--format", paramLabel = "FORMAT=FILE", description = "A model file of another installed format, as FORMAT=FILE.")
            String other;
        }

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        SignatureChoice signature;

        static final class SignatureChoice {
            @Option(names = "--signature", paramLabel = "FILE.json", description = "{\"inputs\": [\"a\", \"b\"], \"outputs\": [\"prediction\"]}")
            Path file;

            @Option(names = "--features", paramLabel = "a,b,c", split = ",", description = "Column names, in the model's order: "
                    + "optional for ONNX (the graph's tensors are the signature; names add dataframe columns), needed for XGBoost.")
            List<String> features;
        }

        @Option(names = "--new-version", description = "Register a new version even if these exact bytes are already registered under NAME.")
        boolean newVersion;

        @Option(names = "--metric", paramLabel = "NAME=VALUE", description = "An evaluation metric to attach (repeatable), e.g. --metric rmse=41.2.")
        Map<String, String> metrics = new LinkedHashMap<>();

        @Option(names = "--description", paramLabel = "TEXT", description = "What this version is, shown by describe.")
        String description;

        @Option(names = "--actor", paramLabel = "WHO", description = "Recorded as the version's creator (default: the OS user).")
        String actor;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            String format;
            Path path;
            if (file.onnx != null) {
                format = "onnx";
                path = file.onnx;
            } else if (file.xgboost != null) {
                format = "xgboost";
                path = file.xgboost;
            } else {
                int eq = file.other.indexOf('=');
                if (eq <= 0 || eq == file.other.length() - 1) {
                    throw FlywheelException.invalid("--format needs FORMAT=FILE, got '" + file.other + "'");
                }
                format = file.other.substring(0, eq);
                path = Path.of(file.other.substring(eq + 1));
            }
            ModelSignature sig = signature != null && signature.file != null ? SignatureFiles.read(signature.file) : null;
            List<String> features = signature == null ? null : signature.features;
            Map<String, Double> values = new LinkedHashMap<>();
            metrics.forEach((k, v) -> {
                try {
                    values.put(k, Double.parseDouble(v));
                } catch (NumberFormatException e) {
                    throw FlywheelException.invalid("--metric " + k + "=" + v + ": '" + v + "' is not a number");
                }
            });
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                ModelRegistry models = flywheel.models();
                ModelRegistry.Imported imported = models.importFile(name, format, path, sig, features, values, actor(actor), newVersion);
                ModelVersion v = imported.version();
                if (description != null) {
                    v = models.setVersionDescription(name, v.version(), description);
                }
                if (json) {
                    Json.print(out, new ImportJson(imported.created(), v));
                    return;
                }
                if (!imported.created()) {
                    out.println(path + " is already registered as version " + v.version() + " of model " + name + " (same sha256 "
                            + v.file().sha256().substring(0, 12) + "); nothing imported. To register these bytes again: add --new-version");
                    return;
                }
                out.println("Imported " + path + " as model " + name + " version " + v.version() + " (" + format + ", sha256 "
                        + v.file().sha256().substring(0, 12) + ").");
                ModelSignature registered = v.signature();
                if (registered.hasTensors()) {
                    out.println("  inputs:  " + registered.inputTensors().stream().map(Object::toString).collect(Collectors.joining(", ")));
                    out.println("  outputs: " + registered.outputTensors().stream().map(Object::toString).collect(Collectors.joining(", ")));
                    if (registered.namedColumns()) {
                        out.println("  columns: " + String.join(", ", registered.inputNames()));
                    }
                } else {
                    out.println("  inputs:  " + String.join(", ", registered.inputNames()));
                }
            }
        }
    }

    /** {@code models import --json}: whether a version was made, and the version. */
    record ImportJson(boolean created, ModelVersion version) {
    }

    @Command(name = "compare",
            footer = {"  flywheel models compare demand 3 4", "  flywheel models compare demand @champion 5 --json"},
            description = "Two versions' metrics side by side, and which is better for each.")
    static final class Compare implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @Parameters(index = "1", paramLabel = "A", description = "Version, @alias or stage.")
        String a;

        @Parameters(index = "2", paramLabel = "B", description = "Version, @alias or stage.")
        String b;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                ModelComparison c = flywheel.models().compare(ModelRef.parse(name, a), ModelRef.parse(name, b));
                if (json) {
                    Json.print(out, c);
                    return;
                }
                String ha = "V" + c.a().version();
                String hb = "V" + c.b().version();
                TextTable t = new TextTable("METRIC", ha, hb, "CHANGE", "BETTER");
                for (ModelComparison.Metric m : c.metrics()) {
                    String better = switch (m.winner()) {
                        case A -> ha;
                        case B -> hb;
                        case TIE -> "tie";
                        case UNDECIDED -> "-";
                    };
                    t.row(m.name(), number(m.a()), number(m.b()), m.change() == null ? "-" : String.format(Locale.ROOT, "%+.4g", m.change()), better);
                }
                t.print(out);
            }
        }
    }

    @Command(name = "history",
            footer = {"  flywheel models history demand"},
            description = "Every stage change of a model: who, when, why.")
    static final class History implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                List<StageChange> history = flywheel.models().history(name);
                if (json) {
                    Json.print(out, history);
                    return;
                }
                if (history.isEmpty()) {
                    out.println("Model '" + name + "' has no stage changes yet.");
                    return;
                }
                TextTable t = new TextTable("#", "VERSION", "FROM", "TO", "BY", "AT", "REASON");
                for (StageChange h : history) {
                    t.row(h.seq(), h.version(), h.from().label(), h.to().label(), h.actor(), Formats.time(h.at()), h.reason());
                }
                t.print(out);
            }
        }
    }

    static String metrics(Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        metrics.forEach((k, v) -> parts.add(k + "=" + number(v)));
        return String.join(" ", parts);
    }

    static String number(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    static String source(Lineage lineage) {
        return switch (lineage) {
            case Lineage.FromRun r -> "run " + Formats.shortId(r.runId()) + " " + r.step();
            case Lineage.Imported i -> "import";
        };
    }
}
