package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a GitHub Actions workflow's jobs for one event the way a runner would, as far as a test can: the workflow file
 * is parsed as YAML, jobs whose {@code if} names another event are left out, {@code uses:} steps (checkout, setup-java:
 * platform-only) are skipped and recorded as such, and every {@code run:} step is executed in order with {@code sh -e}
 * in the repository, with the workflow's, job's and step's {@code env} (their {@code ${{ ... }}} expressions filled from
 * the event and the secrets given) on top of the variables the runner sets (GITHUB_EVENT_NAME, GITHUB_HEAD_REF,
 * GITHUB_REF_NAME...). After a failed step only steps with {@code if: always()} run, as on GitHub.
 */
final class WorkflowHarness {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");

    /** One step as it ran: {@code skipped} for platform-only steps and steps not run after a failure. */
    record StepRun(String job, String name, boolean skipped, int exit, String output) {
    }

    /** The event: {@code pull_request} or {@code push}, and the values expressions read ({@code github.head_ref}...). */
    record Event(String name, Map<String, String> github, Map<String, String> runnerEnv) {
        static Event pullRequest(String headBranch, String baseBranch, int number, String sha) {
            return new Event("pull_request", Map.of("event_name", "pull_request", "head_ref", headBranch, "base_ref", baseBranch,
                    "event.pull_request.number", String.valueOf(number), "sha", sha, "ref_name", number + "/merge"),
                    Map.of("GITHUB_EVENT_NAME", "pull_request", "GITHUB_HEAD_REF", headBranch, "GITHUB_BASE_REF", baseBranch,
                            "GITHUB_REF_NAME", number + "/merge", "GITHUB_SHA", sha, "CI", "true", "GITHUB_ACTIONS", "true"));
        }

        static Event push(String branch, String sha) {
            return new Event("push", Map.of("event_name", "push", "ref_name", branch, "sha", sha, "head_ref", ""),
                    Map.of("GITHUB_EVENT_NAME", "push", "GITHUB_REF_NAME", branch, "GITHUB_HEAD_REF", "", "GITHUB_SHA", sha, "CI", "true",
                            "GITHUB_ACTIONS", "true"));
        }
    }

    static JsonNode parse(Path workflow) throws IOException {
        return YAML.readTree(Files.readString(workflow));
    }

    /** Runs every job of {@code workflow} that {@code event} starts; the steps in order, with their results. */
    static List<StepRun> run(Path workflow, Path repo, Event event, Map<String, String> secrets, Map<String, String> baseEnv)
            throws IOException, InterruptedException {
        JsonNode wf = parse(workflow);
        List<StepRun> out = new ArrayList<>();
        Map<String, String> workflowEnv = env(wf.path("env"), event, secrets);
        for (Iterator<Map.Entry<String, JsonNode>> jobs = wf.path("jobs").fields(); jobs.hasNext(); ) {
            Map.Entry<String, JsonNode> job = jobs.next();
            if (!startedBy(job.getValue().path("if").asText(""), event)) {
                continue;
            }
            Map<String, String> jobEnv = new HashMap<>(workflowEnv);
            jobEnv.putAll(env(job.getValue().path("env"), event, secrets));
            boolean failed = false;
            for (JsonNode step : job.getValue().path("steps")) {
                String name = step.has("name") ? step.get("name").asText() : step.path("uses").asText(step.path("run").asText());
                if (step.has("uses")) {
                    out.add(new StepRun(job.getKey(), name, true, 0, "platform-only step " + step.get("uses").asText() + " skipped"));
                    continue;
                }
                boolean always = step.path("if").asText("").replace(" ", "").startsWith("always()");
                if (failed && !always) {
                    out.add(new StepRun(job.getKey(), name, true, 0, "skipped after a failed step"));
                    continue;
                }
                Map<String, String> stepEnv = new HashMap<>(baseEnv);
                stepEnv.putAll(event.runnerEnv());
                stepEnv.putAll(jobEnv);
                stepEnv.putAll(env(step.path("env"), event, secrets));
                StepRun r = exec(job.getKey(), name, fill(step.path("run").asText(), event, secrets), repo, stepEnv);
                out.add(r);
                failed |= r.exit() != 0;
            }
        }
        return out;
    }

    private static boolean startedBy(String condition, Event event) {
        if (condition.isBlank()) {
            return true;
        }
        Matcher m = Pattern.compile("github\\.event_name\\s*==\\s*'([a-z_]+)'").matcher(condition);
        if (!m.matches()) {
            throw new AssertionError("the harness reads job conditions of the form github.event_name == 'EVENT', not: " + condition);
        }
        return m.group(1).equals(event.name());
    }

    private static Map<String, String> env(JsonNode node, Event event, Map<String, String> secrets) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), fill(e.getValue().asText(), event, secrets)));
        return out;
    }

    static String fill(String text, Event event, Map<String, String> secrets) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String expr = m.group(1);
            String value;
            if (expr.startsWith("secrets.")) {
                value = secrets.getOrDefault(expr.substring("secrets.".length()), "");
            } else if (expr.startsWith("github.")) {
                value = event.github().get(expr.substring("github.".length()));
                if (value == null) {
                    throw new AssertionError("the harness has no value for " + expr);
                }
            } else {
                throw new AssertionError("the harness does not evaluate " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static StepRun exec(String job, String name, String script, Path repo, Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("flywheel-step", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("sh", "-e", "-c", script).directory(repo.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("step '" + name + "' of job " + job + " did not finish in 5 minutes");
            }
            return new StepRun(job, name, false, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
