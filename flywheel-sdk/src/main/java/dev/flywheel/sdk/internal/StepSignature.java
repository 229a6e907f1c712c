package dev.flywheel.sdk.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Outputs;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a step class takes and returns, read once per class from its {@link Step @Step} method. The engine
 * uses it to call the method; the pipeline builder uses it to check the wiring before anything runs.
 */
public record StepSignature(Class<?> stepClass, Method method, List<Param> params, List<Port> outputs,
                            boolean multipleOutputs) {

    /** One parameter of the step method, in declaration order. */
    public sealed interface Param permits InputParam, ConfigParam, ContextParam {
    }

    /** An input: its name, its (boxed) class and its declared generic type ({@code List<Double>}). */
    public record InputParam(String name, Class<?> type, Type generic) implements Param {
    }

    public record ConfigParam(Class<?> type) implements Param {
    }

    public record ContextParam() implements Param {
    }

    /**
     * A named output: its (boxed) class, its declared generic type and how it is stored ({@link ValueType});
     * {@code accessor} reads it from an {@link Outputs @Outputs} record, else null.
     */
    public record Port(String name, Class<?> type, Method accessor, Type generic, ValueType valueType) {
    }

    private static final Map<Class<?>, StepSignature> CACHE = new ConcurrentHashMap<>();

    public static StepSignature of(Class<?> stepClass) {
        StepSignature cached = CACHE.get(stepClass);
        if (cached != null) {
            return cached;
        }
        StepSignature read = read(stepClass);
        CACHE.put(stepClass, read);
        return read;
    }

    public List<InputParam> inputs() {
        return params.stream().filter(InputParam.class::isInstance).map(InputParam.class::cast).toList();
    }

    public Optional<Class<?>> configType() {
        return params.stream().filter(ConfigParam.class::isInstance).map(p -> ((ConfigParam) p).type()).findFirst()
                .map(t -> (Class<?>) t);
    }

    public Optional<Port> output(String name) {
        return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    private static StepSignature read(Class<?> type) {
        String where = type.getName();
        if (!Modifier.isPublic(type.getModifiers())) {
            throw invalid("Step class " + where + " must be public");
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            throw invalid("Step class " + where + " is an inner class; make it static or top-level");
        }
        List<Method> marked = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(Step.class)) {
                marked.add(m);
            }
        }
        if (marked.isEmpty()) {
            throw invalid("Step class " + where + " has no public method annotated @Step; annotate the method that does the work");
        }
        if (marked.size() > 1) {
            throw invalid("Step class " + where + " has " + marked.size() + " methods annotated @Step ("
                    + marked.stream().map(Method::getName).toList() + "); a step class has exactly one");
        }
        requireNoArgConstructor(type);
        Method method = marked.get(0);
        if (Modifier.isStatic(method.getModifiers())) {
            throw invalid("@Step method " + where + "." + method.getName() + " must not be static");
        }
        List<Param> params = new ArrayList<>();
        boolean sawConfig = false;
        boolean sawContext = false;
        for (Parameter p : method.getParameters()) {
            Class<?> pt = Primitives.box(p.getType());
            Input input = p.getAnnotation(Input.class);
            if (input != null) {
                params.add(new InputParam(input.value(), pt, p.getParameterizedType()));
            } else if (pt == StepContext.class) {
                if (sawContext) {
                    throw invalid("@Step method " + where + "." + method.getName() + " takes StepContext twice");
                }
                sawContext = true;
                params.add(new ContextParam());
            } else if (pt.isRecord()) {
                if (sawConfig) {
                    throw invalid("@Step method " + where + "." + method.getName()
                            + " has two record parameters without @Input; only one can be the config: annotate inputs with @Input(\"name\")");
                }
                sawConfig = true;
                params.add(new ConfigParam(pt));
            } else if (p.isNamePresent()) {
                params.add(new InputParam(p.getName(), pt, p.getParameterizedType()));
            } else {
                throw invalid("Parameter " + p.getName() + " of " + where + "." + method.getName()
                        + " has no name at run time; annotate it with @Input(\"name\") or compile with -parameters");
            }
        }
        List<Port> outputs = new ArrayList<>();
        Class<?> rt = method.getReturnType();
        boolean multiple = rt.isAnnotationPresent(Outputs.class);
        if (multiple) {
            if (!rt.isRecord()) {
                throw invalid("@Outputs type " + rt.getName() + " returned by " + where + " must be a record");
            }
            for (RecordComponent rc : rt.getRecordComponents()) {
                Method accessor = rc.getAccessor();
                accessor.setAccessible(true);
                outputs.add(port(where, rc.getName(), rc.getType(), rc.getGenericType(), accessor));
            }
        } else if (rt != void.class && rt != Void.class) {
            outputs.add(port(where, method.getAnnotation(Step.class).output(), rt, method.getGenericReturnType(), null));
        }
        method.setAccessible(true);
        return new StepSignature(type, method, List.copyOf(params), List.copyOf(outputs), multiple);
    }

    private static Port port(String where, String name, Class<?> type, Type generic, Method accessor) {
        ValueType stored;
        try {
            stored = ValueType.of(generic);
        } catch (FlywheelException e) {
            throw invalid("Output '" + name + "' of step class " + where + " is declared as " + ValueType.display(generic)
                    + ", which Flywheel cannot store: " + e.getMessage());
        }
        return new Port(name, Primitives.box(type), accessor, generic, stored);
    }

    private static void requireNoArgConstructor(Class<?> type) {
        try {
            Constructor<?> c = type.getDeclaredConstructor();
            if (!Modifier.isPublic(c.getModifiers())) {
                throw invalid("Step class " + type.getName() + " needs a public no-argument constructor");
            }
        } catch (NoSuchMethodException e) {
            throw invalid("Step class " + type.getName() + " needs a public no-argument constructor");
        }
    }

    private static FlywheelException invalid(String message) {
        return new FlywheelException(ErrorCode.INVALID_PIPELINE, message);
    }
}
