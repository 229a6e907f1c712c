package dev.flywheel.sdk.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The type of a value passed between steps, as Flywheel stores it: a plain class, or a {@code java.util} container
 * ({@code List}, {@code Set}, {@code Map} with {@code String} keys, {@code Optional}) of a supported element type,
 * read from the step method's generic signature because the value itself forgets its element type.
 *
 * <p>{@link #name()} is what the metadata store records with each artifact: {@link Class#getName()} for a plain
 * class ({@code java.lang.Double}, {@code [D}, {@code com.acme.Scores}), and for containers the container's class
 * name with its arguments, no spaces: {@code java.util.List<java.lang.Double>},
 * {@code java.util.Map<java.lang.String,java.util.List<[D>>}. {@link #parse} reads it back.
 */
public sealed interface ValueType permits ValueType.Plain, ValueType.Container {

    /** The class a value of this type is an instance of (the container's class for containers). */
    Class<?> raw();

    /** The stable text recorded with an artifact; see the class comment. */
    String name();

    /** A short form for messages: {@code List<Double>}, {@code double[]}, {@code Scores}. */
    String display();

    /** A plain class, stored by the materializer of its runtime class. Primitives are boxed. */
    record Plain(Class<?> raw) implements ValueType {
        public Plain {
            Objects.requireNonNull(raw, "raw");
            raw = Primitives.box(raw);
        }

        @Override
        public String name() {
            return raw.getName();
        }

        @Override
        public String display() {
            return raw.getSimpleName();
        }
    }

    /**
     * A container of elements of one type: {@code LIST}, {@code SET} and {@code OPTIONAL} hold {@code element}s,
     * {@code MAP} maps {@code String} keys to {@code element}s.
     */
    record Container(Kind kind, Class<?> raw, ValueType element) implements ValueType {
        public Container {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(element, "element");
            if (CONTAINERS.get(raw) != kind) {
                throw new IllegalArgumentException(raw + " is not a " + kind + " container");
            }
        }

        @Override
        public String name() {
            return raw.getName() + "<" + (kind == Kind.MAP ? String.class.getName() + "," : "") + element.name() + ">";
        }

        @Override
        public String display() {
            return raw.getSimpleName() + "<" + (kind == Kind.MAP ? "String, " : "") + element.display() + ">";
        }
    }

    /** The container shapes Flywheel stores itself. */
    enum Kind {
        LIST, SET, MAP, OPTIONAL
    }

    /**
     * The container classes: the interfaces (read back as {@code ArrayList}, {@code LinkedHashSet},
     * {@code LinkedHashMap}; sorted ones as {@code TreeSet}/{@code TreeMap}) and the usual implementations (read
     * back as themselves).
     */
    Map<Class<?>, Kind> CONTAINERS = Map.ofEntries(
            Map.entry(List.class, Kind.LIST), Map.entry(ArrayList.class, Kind.LIST), Map.entry(LinkedList.class, Kind.LIST),
            Map.entry(Set.class, Kind.SET), Map.entry(HashSet.class, Kind.SET), Map.entry(LinkedHashSet.class, Kind.SET),
            Map.entry(SortedSet.class, Kind.SET), Map.entry(NavigableSet.class, Kind.SET), Map.entry(TreeSet.class, Kind.SET),
            Map.entry(Map.class, Kind.MAP), Map.entry(HashMap.class, Kind.MAP), Map.entry(LinkedHashMap.class, Kind.MAP),
            Map.entry(SortedMap.class, Kind.MAP), Map.entry(NavigableMap.class, Kind.MAP), Map.entry(TreeMap.class, Kind.MAP),
            Map.entry(Optional.class, Kind.OPTIONAL));

    /**
     * The stored type of a step output declared as {@code declared}. Containers need their element types
     * ({@code List<Double>}, not {@code List}); anything else is stored by its class.
     *
     * @throws FlywheelException {@code INVALID_PIPELINE} saying what to declare instead
     */
    static ValueType of(Type declared) {
        Objects.requireNonNull(declared, "declared");
        if (declared instanceof ParameterizedType p && CONTAINERS.containsKey((Class<?>) p.getRawType())) {
            return container(p);
        }
        Class<?> raw = erasure(declared);
        if (CONTAINERS.containsKey(raw)) {
            throw invalid("a raw " + raw.getSimpleName() + " does not say what it holds, and its elements are stored by"
                    + " their type; declare it, for example " + example(CONTAINERS.get(raw), raw));
        }
        return new Plain(raw);
    }

    private static ValueType container(ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        Kind kind = CONTAINERS.get(raw);
        Type[] args = p.getActualTypeArguments();
        if (kind == Kind.MAP) {
            if (args[0] != String.class) {
                throw invalid("a stored Map has String keys, but " + display(p) + " has " + display(args[0])
                        + " keys; use Map<String, " + display(args[1]) + "> or a List of records");
            }
            return new Container(kind, raw, element(p, args[1]));
        }
        return new Container(kind, raw, element(p, args[0]));
    }

    private static ValueType element(ParameterizedType container, Type arg) {
        return switch (arg) {
            case Class<?> c -> of(c);
            case ParameterizedType p -> of(p);
            case WildcardType w -> throw invalid(display(container) + " has a wildcard element type; stored elements are"
                    + " read back by one declared type: declare it, for example " + example(CONTAINERS.get((Class<?>) container.getRawType()),
                    (Class<?>) container.getRawType()));
            case TypeVariable<?> v -> throw invalid(display(container) + " has the type variable " + v.getName()
                    + " as element type; declare a concrete type such as " + example(CONTAINERS.get((Class<?>) container.getRawType()),
                    (Class<?>) container.getRawType()));
            case GenericArrayType g -> throw invalid(display(container) + " holds arrays of a generic type; use a List instead");
            default -> throw invalid(display(container) + " has an element type Flywheel cannot store: " + arg.getTypeName());
        };
    }

    private static String example(Kind kind, Class<?> raw) {
        String name = raw.getSimpleName();
        return switch (kind) {
            case LIST, SET, OPTIONAL -> name + "<Double>";
            case MAP -> name + "<String, Double>";
        };
    }

    /** The class a declared type erases to, primitives boxed. */
    static Class<?> erasure(Type type) {
        return switch (type) {
            case Class<?> c -> Primitives.box(c);
            case ParameterizedType p -> (Class<?>) p.getRawType();
            case GenericArrayType g -> erasure(g.getGenericComponentType()).arrayType();
            case TypeVariable<?> v -> v.getBounds().length == 0 ? Object.class : erasure(v.getBounds()[0]);
            case WildcardType w -> erasure(w.getUpperBounds()[0]);
            default -> Object.class;
        };
    }

    /**
     * Whether a value declared as {@code from} may be passed where {@code to} is declared: the classes are
     * assignable and type arguments agree (invariantly, as in Java; {@code ? extends X} and {@code ?} as Java reads
     * them). Where a side has no type arguments, only the classes are compared.
     */
    static boolean assignable(Type to, Type from) {
        if (!erasure(to).isAssignableFrom(erasure(from))) {
            return false;
        }
        if (!(to instanceof ParameterizedType pt) || !(from instanceof ParameterizedType pf)) {
            return true;
        }
        Type[] ta = pt.getActualTypeArguments();
        Type[] fa = pf.getActualTypeArguments();
        if (ta.length != fa.length) {
            return true; // unrelated parameter lists (a subclass adds or fixes some): not known statically
        }
        for (int i = 0; i < ta.length; i++) {
            if (!argumentAccepts(ta[i], fa[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean argumentAccepts(Type to, Type from) {
        if (to instanceof WildcardType w) {
            if (w.getLowerBounds().length > 0) {
                return assignable(from, w.getLowerBounds()[0]);
            }
            return assignable(w.getUpperBounds()[0], from);
        }
        if (to instanceof TypeVariable<?> || from instanceof TypeVariable<?> || from instanceof WildcardType) {
            return true; // not known statically
        }
        return sameType(to, from);
    }

    private static boolean sameType(Type a, Type b) {
        if (erasure(a) != erasure(b)) {
            return false;
        }
        if (a instanceof ParameterizedType pa && b instanceof ParameterizedType pb) {
            Type[] x = pa.getActualTypeArguments();
            Type[] y = pb.getActualTypeArguments();
            if (x.length != y.length) {
                return false;
            }
            for (int i = 0; i < x.length; i++) {
                if (!argumentAccepts(x[i], y[i]) || !argumentAccepts(y[i], x[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A short form of a declared type for messages: {@code List<Double>}, {@code Map<String, double[]>}. */
    static String display(Type type) {
        return switch (type) {
            case Class<?> c -> c.getSimpleName();
            case ParameterizedType p -> {
                List<String> args = new ArrayList<>();
                for (Type a : p.getActualTypeArguments()) {
                    args.add(display(a));
                }
                yield ((Class<?>) p.getRawType()).getSimpleName() + "<" + String.join(", ", args) + ">";
            }
            case GenericArrayType g -> display(g.getGenericComponentType()) + "[]";
            case WildcardType w when w.getLowerBounds().length > 0 -> "? super " + display(w.getLowerBounds()[0]);
            case WildcardType w when w.getUpperBounds()[0] == Object.class -> "?";
            case WildcardType w -> "? extends " + display(w.getUpperBounds()[0]);
            default -> type.getTypeName();
        };
    }

    /**
     * Reads a recorded {@link #name()} back, loading classes through {@code loader}.
     *
     * @throws FlywheelException {@code NOT_FOUND} when a class is not on the class path; {@code INVALID_ARGUMENT}
     *                           when the text is not a type name this class writes
     */
    static ValueType parse(String name, ClassLoader loader) {
        TypeNameParser parser = new TypeNameParser(name, loader);
        ValueType type = parser.type();
        parser.end();
        return type;
    }

    private static FlywheelException invalid(String message) {
        return new FlywheelException(ErrorCode.INVALID_PIPELINE, message);
    }
}
