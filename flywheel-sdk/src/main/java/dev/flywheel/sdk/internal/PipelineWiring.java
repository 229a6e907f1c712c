package dev.flywheel.sdk.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.Wire;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves and checks the wiring of a pipeline definition: unique names, one producer of a matching type for
 * every input, configs of the right type, no cycle. Every message names the steps involved and the fix.
 */
public record PipelineWiring(List<StepSpec> orderedSteps, Map<String, List<Wire>> inputs) {

    public static PipelineWiring resolve(String pipeline, List<StepSpec> steps) {
        if (steps.isEmpty()) {
            throw invalid("Pipeline '" + pipeline + "' has no steps; add one with .step(MyStep.class)");
        }
        Map<String, StepSpec> byName = new LinkedHashMap<>();
        for (StepSpec s : steps) {
            StepSpec previous = byName.putIfAbsent(s.name(), s);
            if (previous != null) {
                throw invalid("Pipeline '" + pipeline + "' has two steps named '" + s.name() + "' ("
                        + previous.stepClass().getSimpleName() + " and " + s.stepClass().getSimpleName()
                        + "); give one another name: .step(\"" + s.name() + "_2\", " + s.stepClass().getSimpleName() + ".class)");
            }
        }
        Map<String, StepSignature> signatures = new HashMap<>();
        for (StepSpec s : steps) {
            StepSignature sig = StepSignature.of(s.stepClass());
            signatures.put(s.name(), sig);
            checkConfig(pipeline, s, sig);
        }
        Map<String, List<Wire>> inputs = new LinkedHashMap<>();
        for (StepSpec s : steps) {
            StepSignature sig = signatures.get(s.name());
            for (String bound : s.inputBindings().keySet()) {
                if (sig.inputs().stream().noneMatch(i -> i.name().equals(bound))) {
                    throw invalid("Step '" + s.name() + "' binds input '" + bound + "', but " + s.stepClass().getSimpleName()
                            + " has no such input; its inputs are " + sig.inputs().stream().map(StepSignature.InputParam::name).toList());
                }
            }
            List<Wire> wires = new ArrayList<>();
            for (StepSignature.InputParam in : sig.inputs()) {
                wires.add(resolveInput(pipeline, s, in, byName, signatures));
            }
            inputs.put(s.name(), List.copyOf(wires));
        }
        return new PipelineWiring(topologicalOrder(pipeline, steps, inputs), Map.copyOf(inputs));
    }

    private static void checkConfig(String pipeline, StepSpec s, StepSignature sig) {
        Class<?> expected = sig.configType().orElse(null);
        Object config = s.config();
        if (expected == null && config != null) {
            throw invalid("Step '" + s.name() + "' was given a config (" + config.getClass().getSimpleName() + "), but "
                    + s.stepClass().getSimpleName() + " takes none; remove it or add a record parameter to the @Step method");
        }
        if (expected != null && config == null) {
            throw invalid("Step '" + s.name() + "' of pipeline '" + pipeline + "' needs a config of type "
                    + expected.getSimpleName() + "; pass one: .step(" + s.stepClass().getSimpleName() + ".class, new "
                    + expected.getSimpleName() + "(...))");
        }
        if (expected != null && !expected.isInstance(config)) {
            throw invalid("Step '" + s.name() + "' needs a config of type " + expected.getName() + ", but was given "
                    + config.getClass().getName());
        }
    }

    private static Wire resolveInput(String pipeline, StepSpec consumer, StepSignature.InputParam in,
                                     Map<String, StepSpec> byName, Map<String, StepSignature> signatures) {
        String binding = consumer.inputBindings().get(in.name());
        String producerName = null;
        String outputName = in.name();
        if (binding != null) {
            int dot = binding.lastIndexOf('.');
            if (dot > 0) {
                producerName = binding.substring(0, dot);
                outputName = binding.substring(dot + 1);
                if (!byName.containsKey(producerName)) {
                    throw invalid("Step '" + consumer.name() + "' binds input '" + in.name() + "' to '" + binding
                            + "', but pipeline '" + pipeline + "' has no step '" + producerName + "'; its steps are " + byName.keySet());
                }
            } else {
                outputName = binding;
            }
        }
        if (producerName == null) {
            List<String> producers = new ArrayList<>();
            for (Map.Entry<String, StepSignature> e : signatures.entrySet()) {
                if (!e.getKey().equals(consumer.name()) && e.getValue().output(outputName).isPresent()) {
                    producers.add(e.getKey());
                }
            }
            producers.sort(null);
            if (producers.isEmpty()) {
                throw invalid("Step '" + consumer.name() + "' needs input '" + in.name() + "' (" + ValueType.display(in.generic())
                        + "), but no step of pipeline '" + pipeline + "' produces an output named '" + outputName
                        + "'; add a step that returns it, or bind the input: StepSpec.of(" + consumer.stepClass().getSimpleName()
                        + ".class).withInput(\"" + in.name() + "\", \"STEP.OUTPUT\")");
            }
            if (producers.size() > 1) {
                throw invalid("Step '" + consumer.name() + "' needs input '" + in.name() + "', and several steps produce an output named '"
                        + outputName + "': " + producers + "; bind it to one: .withInput(\"" + in.name() + "\", \""
                        + producers.get(0) + "." + outputName + "\")");
            }
            producerName = producers.get(0);
        }
        if (producerName.equals(consumer.name())) {
            throw invalid("Step '" + consumer.name() + "' takes its own output '" + outputName + "' as input '" + in.name()
                    + "'; a step cannot depend on itself (a cycle): " + consumer.name() + " -> " + consumer.name());
        }
        StepSignature producer = signatures.get(producerName);
        String out = outputName;
        String from = producerName;
        StepSignature.Port port = producer.output(out).orElseThrow(() -> invalid("Step '" + consumer.name()
                + "' binds input '" + in.name() + "' to output '" + out + "' of step '" + from
                + "', which has no such output; its outputs are " + producer.outputs().stream().map(StepSignature.Port::name).toList()));
        if (!ValueType.assignable(in.generic(), port.generic())) {
            throw invalid("Step '" + consumer.name() + "' input '" + in.name() + "' expects " + ValueType.display(in.generic())
                    + ", but step '" + producerName + "' output '" + out + "' is " + ValueType.display(port.generic())
                    + "; change one of the types or bind the input to another output");
        }
        return new Wire(producerName, out, consumer.name(), in.name());
    }

    /** Kahn's algorithm, keeping definition order among ready steps so runs are reproducible. */
    private static List<StepSpec> topologicalOrder(String pipeline, List<StepSpec> steps, Map<String, List<Wire>> inputs) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> dependants = new HashMap<>();
        for (StepSpec s : steps) {
            Set<String> deps = new HashSet<>();
            for (Wire w : inputs.get(s.name())) {
                deps.add(w.fromStep());
            }
            pending.put(s.name(), deps.size());
            for (String d : deps) {
                dependants.computeIfAbsent(d, k -> new ArrayList<>()).add(s.name());
            }
        }
        Map<String, StepSpec> byName = new LinkedHashMap<>();
        steps.forEach(s -> byName.put(s.name(), s));
        Deque<String> ready = new ArrayDeque<>();
        for (StepSpec s : steps) {
            if (pending.get(s.name()) == 0) {
                ready.add(s.name());
            }
        }
        List<StepSpec> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String next = ready.poll();
            order.add(byName.get(next));
            for (String d : dependants.getOrDefault(next, List.of())) {
                if (pending.merge(d, -1, Integer::sum) == 0) {
                    ready.add(d);
                }
            }
        }
        if (order.size() != steps.size()) {
            throw invalid("Steps of pipeline '" + pipeline + "' form a cycle: " + String.join(" -> ", findCycle(inputs, pending))
                    + "; a pipeline must be acyclic: remove or rebind one of these inputs");
        }
        return List.copyOf(order);
    }

    /** Walks upstream from a step left in the cycle until a step repeats; returns the loop in data-flow order. */
    private static List<String> findCycle(Map<String, List<Wire>> inputs, Map<String, Integer> pending) {
        String start = pending.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).sorted()
                .findFirst().orElseThrow();
        List<String> path = new ArrayList<>();
        String current = start;
        while (!path.contains(current)) {
            path.add(current);
            current = inputs.get(current).stream().map(Wire::fromStep).filter(p -> pending.get(p) > 0).sorted()
                    .findFirst().orElseThrow();
        }
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(current), path.size()));
        java.util.Collections.reverse(loop);
        java.util.Collections.rotate(loop, -loop.indexOf(java.util.Collections.min(loop)));
        loop.add(loop.get(0));
        return loop;
    }

    private static FlywheelException invalid(String message) {
        return new FlywheelException(ErrorCode.INVALID_PIPELINE, message);
    }
}
