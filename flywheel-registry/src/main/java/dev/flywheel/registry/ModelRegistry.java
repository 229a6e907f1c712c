package dev.flywheel.registry;

import dev.flywheel.sdk.model.MetricDirection;
import dev.flywheel.formats.GraphSignature;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelChecksum;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.registry.internal.Names;
import dev.flywheel.registry.internal.Provenance;
import dev.flywheel.registry.internal.RegistryJson;
import dev.flywheel.registry.internal.RegistryTables;
import dev.flywheel.registry.internal.StepLineage;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.metadata.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The model registry: registered models, their numbered versions, stages, aliases, metrics and lineage, kept in the
 * metadata store; model files and their {@code provenance.json} kept in the artifact store.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Versions are numbered per model from 1, never reused (not even after a delete), and distinct when several
 *       processes register at once.</li>
 *   <li>At most one version of a model is in {@link Stage#PRODUCTION} (also enforced by a unique index). Promoting a
 *       version to production archives the previous one; every stage change is recorded with who and when
 *       ({@link #history}).</li>
 *   <li>An {@link Stage#ARCHIVED} version is not promoted straight to production: move it to staging first, or use
 *       {@link #rollback}, which exists to bring the previous production version back.</li>
 *   <li>A production version cannot be deleted. A version's model file is content-addressed and never rewritten;
 *       {@link #open} checks its sha256 before loading.</li>
 *   <li>A model file is loaded through its {@link ModelFormat} and checked against its signature before it is
 *       registered: a corrupt file or a mismatch is refused with {@link ErrorCode#INVALID_MODEL} and nothing is
 *       registered.</li>
 *   <li>Every change is one metadata transaction: it happens completely or not at all. A refused change changes nothing.</li>
 * </ul>
 * Thread-safe; share one instance per process.
 *
 * <pre>{@code
 * ModelVersion candidate = registry.get(ModelRef.parse("bike_demand", "@challenger"));
 * Optional<ModelVersion> production = registry.production("bike_demand");
 * if (production.isEmpty() || registry.compare(candidate, production.get()).metric("rmse").winner() == Winner.A) {
 *     registry.promote("bike_demand", candidate.version(), Stage.PRODUCTION, "deploy-gate");
 * }
 * }</pre>
 */
public final class ModelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final MetadataStore metadata;
    private final ArtifactStore artifacts;
    private final ModelFormats formats;
    private final Clock clock;
    private final RegistryTables tables = new RegistryTables();
    private final StepLineage stepLineage = new StepLineage();

    public ModelRegistry(MetadataStore metadata, ArtifactStore artifacts, ModelFormats formats, Clock clock) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.formats = Objects.requireNonNull(formats, "formats");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The model formats this registry loads files with. */
    public ModelFormats formats() {
        return formats;
    }

    // ---------------------------------------------------------------- receiving from another registry

    /** What {@link #receive} did: the version in this registry, and whether it was copied now (false: it was here already). */
    public record Received(ModelVersion version, boolean created) {
    }

    /**
     * Copies {@code version} of registry {@code from} (another stack's stores) into this one under the same number:
     * the model file, its provenance and every recorded data artifact's bytes are copied into this registry's artifact
     * store and checked against the sha256 the source recorded; then the version row, its metrics, tags and lineage
     * (run, step, code hash, data) are inserted in one transaction, with stage NONE and the tag
     * {@code promoted_from_stack}. This registry never reads the source's database or bucket again.
     * Idempotent: a version already here with the same file is returned with {@code created = false}.
     *
     * @param fromStack the source's name, recorded as the tag {@code promoted_from_stack}
     * @throws FlywheelException CONFLICT when this registry has that number with another file, or had it and deleted it
     *         (numbers are never reused); CORRUPT when a copied blob does not hash to what the source recorded
     */
    public Received receive(ModelVersion version, ModelRegistry from, String fromStack) {
        Names.model(version.model());
        Optional<ModelVersion> existing = metadata.read(c -> tables.model(c, version.model()).isEmpty() ? Optional.<ModelVersion>empty()
                : tables.version(c, version.model(), version.version()));
        if (existing.isPresent()) {
            return new Received(sameFileOrConflict(existing.get(), version), false);
        }
        // Bytes first (content-addressed, so a failure below leaves only blobs nobody refers to), each checked.
        StoredFile file = copy(from, version.file(), "model file of " + version.model() + " v" + version.version());
        StoredFile provenance = copy(from, version.provenance(), "provenance of " + version.model() + " v" + version.version());
        Lineage lineage = version.lineage();
        if (lineage instanceof Lineage.FromRun r) {
            List<DataArtifact> data = new java.util.ArrayList<>();
            for (DataArtifact d : r.data()) {
                StoredFile copied = copy(from, new StoredFile(d.uri(), d.sha256(), d.size()), "data artifact " + d.name() + " of "
                        + version.model() + " v" + version.version());
                data.add(new DataArtifact(d.artifactId(), d.name(), d.type(), copied.uri(), d.sha256(), d.size(), d.depth()));
            }
            lineage = new Lineage.FromRun(r.pipeline(), r.runId(), r.step(), r.stepRunId(), r.codeHash(), data);
        }
        Lineage received = lineage;
        Instant now = clock.instant();
        return metadata.write(c -> {
            Optional<RegistryTables.ModelRow> row = tables.model(c, version.model());
            if (row.isEmpty()) {
                tables.insertModel(c, version.model(), now);
            } else {
                Optional<ModelVersion> raced = tables.version(c, version.model(), version.version());
                if (raced.isPresent()) {
                    return new Received(sameFileOrConflict(raced.get(), version), false);
                }
                if (row.get().lastVersion() >= version.version()) {
                    throw FlywheelException.conflict("Model '" + version.model() + "' had a version " + version.version() + " here that was"
                            + " deleted, and version numbers are never reused; register the model again on " + fromStack + " to get a new number");
                }
            }
            tables.reserveVersion(c, version.model(), version.version(), now);
            tables.insertVersion(c, new RegistryTables.NewVersion(version.model(), version.version(), version.format(),
                    RegistryJson.signature(version.signature()), file, provenance, received, version.description(), version.createdAt(),
                    version.createdBy()));
            tables.putMetrics(c, version.model(), version.version(), version.metrics());
            for (Map.Entry<String, String> t : version.tags().entrySet()) {
                tables.setVersionTag(c, version.model(), version.version(), t.getKey(), t.getValue());
            }
            tables.setVersionTag(c, version.model(), version.version(), "promoted_from_stack", fromStack);
            LOG.info("model version received model={} version={} from={}", version.model(), version.version(), fromStack);
            return new Received(tables.version(c, version.model(), version.version()).orElseThrow(), true);
        });
    }

    private static ModelVersion sameFileOrConflict(ModelVersion here, ModelVersion incoming) {
        if (!here.file().sha256().equals(incoming.file().sha256())) {
            throw FlywheelException.conflict("Model '" + here.model() + "' already has a version " + here.version() + " here with another"
                    + " file (sha256 " + here.file().sha256() + ", the incoming one is " + incoming.file().sha256() + "): the two stacks"
                    + " numbered their versions independently. Promote only from one stack into the other, or retrain on this one");
        }
        return here;
    }

    /** Copies one blob from {@code from}'s artifact store into this one, checking it against the recorded sha256 on both sides. */
    private StoredFile copy(ModelRegistry from, StoredFile source, String what) {
        URI location = from.artifacts.locate(source.uri());
        from.artifacts.requireIntact(location, source.sha256(), what);
        dev.flywheel.store.artifact.StoredBlob blob = artifacts.write(out -> {
            try (java.io.InputStream in = from.artifacts.open(location)) {
                in.transferTo(out);
            }
        });
        if (!blob.sha256().equals(source.sha256())) {
            throw new FlywheelException(ErrorCode.CORRUPT, what + " changed while it was copied: recorded sha256 " + source.sha256()
                    + ", copied " + blob.sha256());
        }
        return new StoredFile(blob.uri(), blob.sha256(), blob.size());
    }

    // ---------------------------------------------------------------- registering

    /**
     * Registers {@code model}, returned by step {@code step} of run {@code runId}, as a new version with its metrics and
     * lineage (the pipeline, run, step, step code hash, and every upstream data artifact with its sha256).
     * A model whose file is byte-identical to an existing version of the same model is that version: its metrics are
     * added to it (so a later evaluation step can return the same model with metrics) and no new version is made.
     *
     * @throws FlywheelException INVALID_MODEL when the file does not load or does not match the signature;
     *         NOT_FOUND when the run has no such step or the format is unknown
     */
    public ModelVersion register(Model model, String runId, String step) {
        Names.model(model.name());
        StepLineage.Origin origin = metadata.read(c -> stepLineage.read(c, runId, step));
        return add(model.name(), model.format(), model.content(), model.signature(), model.metrics(), origin.lineage(),
                origin.stepClass(), origin.configJson(), "pipeline:" + origin.lineage().pipeline(),
                "model '" + model.name() + "' from step '" + step + "' of run " + runId, false).version();
    }

    /**
     * Registers a model file trained elsewhere as a new version of {@code name}. The file is loaded with {@code format}
     * and checked against {@code signature} first; a signature without outputs gets them from the model
     * ({@code prediction} for one value per row, {@code output_0..k-1} for more).
     *
     * @throws FlywheelException NOT_FOUND when the file or format does not exist; INVALID_MODEL when the file is corrupt
     *         or does not match the signature (nothing is registered)
     */
    public ModelVersion importModel(String name, String format, Path file, ModelSignature signature, Map<String, Double> metrics, String actor) {
        Objects.requireNonNull(signature, "signature");
        return importFile(name, format, file, signature, null, metrics, actor, false).version();
    }

    /** What {@link #importFile} did: the version, and whether it was made now (false: these bytes were already registered). */
    public record Imported(ModelVersion version, boolean created) {
    }

    /**
     * Registers a model file trained elsewhere. Its signature is {@code signature} when given; otherwise the file's own
     * (an ONNX graph's input and output tensors, {@link ModelFormat#describe}), with its input columns named
     * {@code features} when given. A format whose files declare nothing needs {@code features} or a signature.
     * A file whose bytes are already registered under {@code name} is that version ({@link Imported#created()} false),
     * unless {@code newVersion} asks for another version of the same bytes.
     *
     * @throws FlywheelException NOT_FOUND when the file or format does not exist; INVALID_MODEL when the file is corrupt
     *         or does not match the signature; INVALID_ARGUMENT when no signature can be found or the names do not fit
     *         the graph (nothing is registered)
     */
    public Imported importFile(String name, String format, Path file, ModelSignature signature, List<String> features,
                               Map<String, Double> metrics, String actor, boolean newVersion) {
        Names.model(name);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw FlywheelException.notFound("Model file " + file.toAbsolutePath() + " does not exist; check the path");
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "Model file " + file.toAbsolutePath() + " cannot be read: " + e.getMessage(), e);
        }
        String where = file.toAbsolutePath().toString();
        ModelSignature declared = signature != null ? signature : signatureOf(format, content, where, features);
        Registered r = add(name, format, content, declared, metrics == null ? Map.of() : metrics, new Lineage.Imported(where), null, null,
                actor(actor), where, newVersion);
        return new Imported(r.version(), r.created());
    }

    /** The signature a file declares (named by {@code features} when given), else one made of {@code features}. */
    private ModelSignature signatureOf(String format, byte[] content, String where, List<String> features) {
        Optional<GraphSignature> graph = formats.get(format).describe(content, where);
        if (graph.isPresent()) {
            return graph.get().signature(features, where);
        }
        if (features == null || features.isEmpty()) {
            throw FlywheelException.invalid("A '" + format + "' model file does not say what inputs it takes; name them with "
                    + "--features a,b,c (in the model's order) or give a signature file with --signature FILE.json");
        }
        return SignatureFiles.ofFeatures(features);
    }

    private Registered add(String name, String format, byte[] content, ModelSignature declared, Map<String, Double> metrics,
                           Lineage lineage, String stepClass, String configJson, String actor, String origin, boolean newVersion) {
        ModelFormat modelFormat = formats.get(format);
        ModelSignature signature;
        try (LoadedModel loaded = modelFormat.load(content, origin, declared)) {
            // A graph's own signature comes back from the load with its output widths resolved.
            signature = declared.hasTensors() ? loaded.signature() : withOutputs(declared, loaded.outputWidth());
        }
        String sha256 = sha256(content);
        Optional<ModelVersion> same = newVersion ? Optional.empty() : metadata.read(c -> sameFile(c, name, sha256));
        if (same.isPresent()) {
            return new Registered(addMetrics(same.get(), metrics), false);
        }
        Instant now = clock.instant();
        StoredBlob file = writeBlob(content);
        byte[] provenance = Provenance.json(name, format, sha256, content.length, signature, metrics, lineage, stepClass, configJson, now, actor);
        StoredBlob provenanceBlob = writeBlob(provenance);
        String signatureJson = RegistryJson.signature(signature);
        // Another process may have registered the same file since the check above: then that version is the answer.
        Registered outcome = metadata.write(c -> {
            Optional<ModelVersion> raced = newVersion ? Optional.empty() : sameFile(c, name, sha256);
            if (raced.isPresent()) {
                return new Registered(raced.get(), false);
            }
            if (tables.model(c, name).isEmpty()) {
                tables.insertModel(c, name, now);
            }
            int version = tables.nextVersion(c, name, now);
            tables.insertVersion(c, new RegistryTables.NewVersion(name, version, format, signatureJson,
                    new StoredFile(file.uri(), file.sha256(), file.size()),
                    new StoredFile(provenanceBlob.uri(), provenanceBlob.sha256(), provenanceBlob.size()), lineage, "", now, actor));
            tables.putMetrics(c, name, version, metrics);
            return new Registered(tables.version(c, name, version).orElseThrow(), true);
        });
        if (!outcome.created()) {
            return new Registered(addMetrics(outcome.version(), metrics), false);
        }
        LOG.info("Registered model={} version={} format={} sha256={} by={}", name, outcome.version().version(), format, sha256, actor);
        return outcome;
    }

    private record Registered(ModelVersion version, boolean created) {
    }

    private Optional<ModelVersion> sameFile(Connection c, String name, String sha256) throws SQLException {
        Optional<Integer> v = tables.versionWithFile(c, name, sha256);
        return v.isEmpty() ? Optional.empty() : tables.version(c, name, v.get());
    }

    private ModelVersion addMetrics(ModelVersion existing, Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return existing;
        }
        LOG.info("Model file already registered model={} version={}; adding metrics={}", existing.model(), existing.version(), metrics.keySet());
        return metadata.write(c -> {
            tables.putMetrics(c, existing.model(), existing.version(), metrics);
            tables.touchModel(c, existing.model(), clock.instant());
            return tables.version(c, existing.model(), existing.version()).orElseThrow();
        });
    }

    private static ModelSignature withOutputs(ModelSignature declared, int width) {
        if (!declared.outputs().isEmpty()) {
            return declared;
        }
        List<Feature> outputs = new ArrayList<>();
        if (width == 1) {
            outputs.add(Feature.fp32("prediction"));
        } else {
            for (int i = 0; i < width; i++) {
                outputs.add(Feature.fp32("output_" + i));
            }
        }
        return new ModelSignature(declared.inputs(), outputs);
    }

    private StoredBlob writeBlob(byte[] content) {
        return artifacts.write(out -> out.write(content));
    }

    // ---------------------------------------------------------------- reading

    /** Every registered model, by name. */
    public List<RegisteredModel> list() {
        return metadata.read(c -> {
            List<RegisteredModel> out = new ArrayList<>();
            for (String name : tables.modelNames(c)) {
                out.add(tables.summary(c, tables.model(c, name).orElseThrow()));
            }
            return out;
        });
    }

    /** The model called {@code name}; NOT_FOUND listing the known names when there is none. */
    public RegisteredModel describe(String name) {
        return metadata.read(c -> tables.summary(c, requireModel(c, name)));
    }

    /** Every version of {@code name}, oldest first. */
    public List<ModelVersion> versions(String name) {
        return metadata.read(c -> {
            requireModel(c, name);
            return tables.versions(c, name);
        });
    }

    /**
     * The version {@code ref} names. For a stage, the newest version in that stage.
     *
     * @throws FlywheelException NOT_FOUND naming the model and what exists (versions, aliases, known models)
     */
    public ModelVersion get(ModelRef ref) {
        return metadata.read(c -> tables.version(c, ref.model(), resolve(c, ref)).orElseThrow());
    }

    /** Version {@code version} of {@code name}. */
    public ModelVersion get(String name, int version) {
        return get(ModelRef.version(name, version));
    }

    /** The version of {@code name} in production, if any; NOT_FOUND when there is no such model. */
    public Optional<ModelVersion> production(String name) {
        return metadata.read(c -> {
            requireModel(c, name);
            Optional<Integer> v = tables.newestInStage(c, name, Stage.PRODUCTION);
            return v.isEmpty() ? Optional.empty() : tables.version(c, name, v.get());
        });
    }

    /** Every stage change of {@code name}, oldest first (including changes of versions deleted since). */
    public List<StageChange> history(String name) {
        return metadata.read(c -> {
            requireModel(c, name);
            return tables.history(c, name);
        });
    }

    // ---------------------------------------------------------------- stages

    /**
     * Moves a version to {@code stage}. Promoting to production archives the version that was in production. Moving a
     * version to the stage it is in changes nothing.
     *
     * @throws FlywheelException NOT_FOUND for an unknown model or version; CONFLICT when promoting an archived version
     *         straight to production (the message says how: staging first, or rollback)
     */
    public ModelVersion promote(String name, int version, Stage stage, String actor) {
        return transition(name, version, stage, actor).version();
    }

    /**
     * {@link #promote} that also says what the transaction did: the stage changes it recorded (none when the version
     * was already in {@code stage}), including the version it archived. Racing callers each learn their own changes,
     * read inside the same transaction that made them.
     */
    public StageTransition transition(String name, int version, Stage stage, String actor) {
        Objects.requireNonNull(stage, "stage");
        String who = actor(actor);
        StageTransition result = metadata.write(c -> {
            ModelVersion v = tables.version(c, name, resolve(c, ModelRef.version(name, version))).orElseThrow();
            if (v.stage() == stage) {
                return new StageTransition(v, List.of());
            }
            if (v.stage() == Stage.ARCHIVED && stage == Stage.PRODUCTION) {
                throw FlywheelException.conflict("Version " + version + " of model '" + name + "' is archived and cannot go straight to "
                        + "production. If it was the previous production version, run: flywheel models rollback " + name
                        + "; otherwise move it to staging first: flywheel models promote " + name + " " + version + " --stage staging");
            }
            Instant now = clock.instant();
            int moves = 1;
            if (stage == Stage.PRODUCTION) {
                Optional<Integer> current = tables.newestInStage(c, name, Stage.PRODUCTION);
                if (current.isPresent()) {
                    move(c, name, current.get(), Stage.PRODUCTION, Stage.ARCHIVED, who, now, "replaced by version " + version);
                    moves++;
                }
            }
            move(c, name, version, v.stage(), stage, who, now, "promoted to " + stage.label());
            return new StageTransition(tables.version(c, name, version).orElseThrow(), lastChanges(c, name, moves));
        });
        if (!result.changes().isEmpty()) {
            LOG.info("Model stage changed model={} version={} stage={} by={}", name, version, result.version().stage(), who);
        }
        return result;
    }

    private List<StageChange> lastChanges(Connection c, String name, int n) throws SQLException {
        List<StageChange> all = tables.history(c, name);
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    /**
     * Returns production to the version that was in production before the current one (from the stage history), and
     * archives the current one. Rolling back twice returns to where it started.
     *
     * @return the version now in production
     * @throws FlywheelException CONFLICT when the model has no production version or no earlier one that still exists
     */
    public ModelVersion rollback(String name, String actor) {
        return rollbackTransition(name, actor).version();
    }

    /** {@link #rollback} that also returns the two stage changes the transaction recorded. */
    public StageTransition rollbackTransition(String name, String actor) {
        String who = actor(actor);
        StageTransition result = metadata.write(c -> {
            requireModel(c, name);
            int current = tables.newestInStage(c, name, Stage.PRODUCTION).orElseThrow(() -> FlywheelException.conflict(
                    "Model '" + name + "' has no production version to roll back; promote one: flywheel models promote " + name
                            + " VERSION --stage production"));
            List<Integer> existing = tables.versionNumbers(c, name);
            List<StageChange> history = tables.history(c, name);
            Integer previous = null;
            for (int i = history.size() - 1; i >= 0; i--) {
                StageChange h = history.get(i);
                if (h.to() == Stage.PRODUCTION && h.version() != current && existing.contains(h.version())) {
                    previous = h.version();
                    break;
                }
            }
            if (previous == null) {
                throw FlywheelException.conflict("Model '" + name + "' has no earlier production version to roll back to (version "
                        + current + " is the only one that has been in production); promote another version instead: flywheel models promote "
                        + name + " VERSION --stage production");
            }
            ModelVersion target = tables.version(c, name, previous).orElseThrow();
            Instant now = clock.instant();
            move(c, name, current, Stage.PRODUCTION, Stage.ARCHIVED, who, now, "rolled back to version " + previous);
            move(c, name, previous, target.stage(), Stage.PRODUCTION, who, now, "rollback from version " + current);
            return new StageTransition(tables.version(c, name, previous).orElseThrow(), lastChanges(c, name, 2));
        });
        LOG.info("Model rolled back model={} production={} by={}", name, result.version().version(), who);
        return result;
    }

    private void move(Connection c, String name, int version, Stage from, Stage to, String actor, Instant now, String reason) throws SQLException {
        tables.setStage(c, name, version, to, now);
        tables.addStageChange(c, name, version, from, to, actor, now, reason);
        tables.touchModel(c, name, now);
    }

    // ---------------------------------------------------------------- aliases, tags, descriptions, delete

    /** Points {@code alias} at a version; an alias already on another version of the model moves. */
    public ModelVersion alias(String name, int version, String alias) {
        Names.alias(name, alias);
        return metadata.write(c -> {
            resolve(c, ModelRef.version(name, version));
            tables.setAlias(c, name, alias, version);
            tables.touchModel(c, name, clock.instant());
            return tables.version(c, name, version).orElseThrow();
        });
    }

    /** Removes an alias; NOT_FOUND listing the model's aliases when it has no such alias. */
    public void deleteAlias(String name, String alias) {
        metadata.write(c -> {
            resolve(c, ModelRef.alias(name, alias));
            tables.deleteAlias(c, name, alias);
            tables.touchModel(c, name, clock.instant());
            return null;
        });
    }

    /**
     * Deletes a version's record (its aliases, tags, metrics and lineage); its stage history stays, and its number is not
     * given again. The files stay in the artifact store, which may share them.
     *
     * @throws FlywheelException CONFLICT for the production version (the message says how to replace it first)
     */
    public void deleteVersion(String name, int version, String actor) {
        String who = actor(actor);
        metadata.write(c -> {
            ModelVersion v = tables.version(c, name, resolve(c, ModelRef.version(name, version))).orElseThrow();
            if (v.stage() == Stage.PRODUCTION) {
                throw FlywheelException.conflict("Version " + version + " of model '" + name + "' is in production and cannot be deleted; "
                        + "promote another version first (flywheel models promote " + name + " VERSION --stage production) or archive this one "
                        + "(flywheel models promote " + name + " " + version + " --stage archived), then delete it");
            }
            tables.deleteVersion(c, name, version);
            tables.touchModel(c, name, clock.instant());
            return null;
        });
        LOG.info("Deleted model={} version={} by={}", name, version, who);
    }

    public RegisteredModel setDescription(String name, String description) {
        return metadata.write(c -> {
            requireModel(c, name);
            tables.setModelDescription(c, name, description == null ? "" : description, clock.instant());
            return tables.summary(c, tables.model(c, name).orElseThrow());
        });
    }

    public ModelVersion setVersionDescription(String name, int version, String description) {
        return metadata.write(c -> {
            resolve(c, ModelRef.version(name, version));
            tables.setVersionDescription(c, name, version, description == null ? "" : description);
            tables.touchModel(c, name, clock.instant());
            return tables.version(c, name, version).orElseThrow();
        });
    }

    /** Sets a model tag; a null value removes it. */
    public RegisteredModel setTag(String name, String key, String value) {
        Names.tag(key);
        return metadata.write(c -> {
            requireModel(c, name);
            tables.setModelTag(c, name, key, value);
            tables.touchModel(c, name, clock.instant());
            return tables.summary(c, tables.model(c, name).orElseThrow());
        });
    }

    /** Sets a version tag; a null value removes it. */
    public ModelVersion setVersionTag(String name, int version, String key, String value) {
        Names.tag(key);
        return metadata.write(c -> {
            resolve(c, ModelRef.version(name, version));
            tables.setVersionTag(c, name, version, key, value);
            tables.touchModel(c, name, clock.instant());
            return tables.version(c, name, version).orElseThrow();
        });
    }

    // ---------------------------------------------------------------- comparing and loading

    public ModelComparison compare(ModelRef a, ModelRef b) {
        return compare(get(a), get(b));
    }

    /**
     * Both versions' metrics side by side. For a metric whose direction is known ({@link MetricDirection#of}) the better
     * side is named; equal values tie.
     */
    public ModelComparison compare(ModelVersion a, ModelVersion b) {
        TreeSet<String> names = new TreeSet<>(a.metrics().keySet());
        names.addAll(b.metrics().keySet());
        List<ModelComparison.Metric> metrics = new ArrayList<>();
        for (String m : names) {
            Double va = a.metrics().get(m);
            Double vb = b.metrics().get(m);
            MetricDirection direction = MetricDirection.of(m);
            ModelComparison.Winner winner = ModelComparison.Winner.UNDECIDED;
            if (va != null && vb != null && direction != MetricDirection.UNKNOWN) {
                int cmp = Double.compare(va, vb);
                if (cmp == 0) {
                    winner = ModelComparison.Winner.TIE;
                } else {
                    boolean aSmaller = cmp < 0;
                    winner = aSmaller == (direction == MetricDirection.LOWER_IS_BETTER) ? ModelComparison.Winner.A : ModelComparison.Winner.B;
                }
            }
            metrics.add(new ModelComparison.Metric(m, va, vb, va == null || vb == null ? null : va - vb, direction, winner));
        }
        return new ModelComparison(a, b, metrics);
    }

    /**
     * Loads a version's model file through its format, after checking the file's sha256 against the registered one.
     * The caller closes the returned model.
     *
     * @throws FlywheelException INVALID_MODEL when the file changed since it was registered or no longer loads
     */
    public LoadedModel open(ModelVersion version) {
        byte[] content = read(version.file().uri(), version);
        ModelChecksum.verify(content, version.file().sha256(), version.model(), version.version(), version.file().uri().toString());
        return formats.get(version.format()).load(content, "'" + version.model() + "' version " + version.version() + " ("
                + version.file().uri() + ")", version.signature());
    }

    /**
     * A local path to the version's model file, for loaders that read files (a prediction server). For the local
     * artifact store this is the stored file itself; others are copied to a temporary file.
     */
    public Path modelFile(ModelVersion version) {
        URI uri = version.file().uri();
        URI absolute = artifacts.locate(uri);
        if ("file".equals(absolute.getScheme())) {
            Path path = Path.of(absolute);
            if (!Files.isRegularFile(path)) {
                throw FlywheelException.notFound("The file of model '" + version.model() + "' version " + version.version() + " is missing: "
                        + path + "; the artifact store was cleaned or moved. Register the model again");
            }
            return path;
        }
        try (InputStream in = artifacts.open(uri)) {
            Path tmp = Files.createTempFile("flywheel-" + version.model() + "-v" + version.version() + "-", ".model");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            tmp.toFile().deleteOnExit();
            return tmp;
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot copy the file of model '" + version.model() + "' version "
                    + version.version() + " from " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a stored file of a version is now: its location (relative to the artifact store's root, as recorded)
     * resolved against the store this registry uses.
     */
    public URI locate(StoredFile file) {
        return artifacts.locate(file.uri());
    }

    /** The version's {@code provenance.json} as written at registration. */
    public String provenance(ModelVersion version) {
        return new String(read(version.provenance().uri(), version), java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] read(URI uri, ModelVersion version) {
        if (!artifacts.exists(uri)) {
            throw FlywheelException.notFound("A file of model '" + version.model() + "' version " + version.version() + " is missing: "
                    + uri + "; the artifact store was cleaned or moved. Register the model again");
        }
        try (InputStream in = artifacts.open(uri)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read " + uri + " of model '" + version.model() + "' version "
                    + version.version() + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- resolution and errors

    private RegistryTables.ModelRow requireModel(Connection c, String name) throws SQLException {
        Optional<RegistryTables.ModelRow> row = tables.model(c, name);
        if (row.isPresent()) {
            return row.get();
        }
        List<String> known = tables.modelNames(c);
        throw FlywheelException.notFound("No model named '" + name + "'; " + (known.isEmpty()
                ? "no models are registered yet (a pipeline step that returns a Model registers one, or: flywheel models import)"
                : "known models: " + String.join(", ", known) + " (flywheel models list)"));
    }

    private int resolve(Connection c, ModelRef ref) throws SQLException {
        String name = ref.model();
        requireModel(c, name);
        return switch (ref) {
            case ModelRef.Version v -> {
                if (tables.version(c, name, v.version()).isPresent()) {
                    yield v.version();
                }
                List<Integer> versions = tables.versionNumbers(c, name);
                throw FlywheelException.notFound("Model '" + name + "' has no version " + v.version() + "; "
                        + (versions.isEmpty() ? "it has no versions" : "its versions are " + versions.stream().map(String::valueOf)
                        .collect(Collectors.joining(", "))) + " (flywheel models versions " + name + ")");
            }
            case ModelRef.Alias a -> {
                Optional<Integer> v = tables.aliasVersion(c, name, a.alias());
                if (v.isPresent()) {
                    yield v.get();
                }
                List<String> aliases = tables.aliasNames(c, name);
                throw FlywheelException.notFound("Model '" + name + "' has no alias '" + a.alias() + "'; " + (aliases.isEmpty()
                        ? "it has no aliases" : "its aliases are " + String.join(", ", aliases)) + ". Set one with: flywheel models alias "
                        + name + " VERSION " + a.alias());
            }
            case ModelRef.InStage s -> tables.newestInStage(c, name, s.stage()).orElseThrow(() -> FlywheelException.notFound(
                    "Model '" + name + "' has no version in stage " + s.stage().label() + "; move one there with: flywheel models promote "
                            + name + " VERSION --stage " + s.stage().label()));
        };
    }

    private static String actor(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor;
    }

    static String sha256(byte[] content) {
        return ModelChecksum.of(content);
    }
}
