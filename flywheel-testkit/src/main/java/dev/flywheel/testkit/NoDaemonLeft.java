package dev.flywheel.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * No process a test started may outlive it. After each test (after its own {@code @AfterEach} methods, before
 * JUnit deletes its temporary folders) this finds every process whose command line names one of the test instance's
 * {@code @TempDir} folders; after all tests of the class, those naming its static {@code @TempDir} folders. Whatever
 * is still there after a short grace is stopped (SIGTERM, then SIGKILL, with its descendants) and the test fails
 * naming each process: a daemon left behind would run on, unseen, from a folder that no longer exists.
 *
 * <pre>{@code
 * @ExtendWith(NoDaemonLeft.class)
 * class LocalModelDeployerTest { @TempDir Path home; ... }
 * }</pre>
 */
public final class NoDaemonLeft implements AfterEachCallback, AfterAllCallback {
    /** Processes told to stop just before the test ended get this long to finish on their own. */
    private static final long GRACE_MILLIS = 3_000;

    @Override
    public void afterEach(ExtensionContext context) {
        check(tempDirs(context.getRequiredTestClass(), context.getRequiredTestInstance(), false), context.getDisplayName(), GRACE_MILLIS);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(tempDirs(context.getRequiredTestClass(), null, true), context.getDisplayName(), GRACE_MILLIS);
    }

    static void check(List<Path> folders, String test, long graceMillis) {
        if (folders.isEmpty()) {
            return;
        }
        List<ProcessHandle> left = processesNaming(folders);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            left = processesNaming(folders);
        }
        if (left.isEmpty()) {
            return;
        }
        List<String> described = new ArrayList<>();
        for (ProcessHandle p : left) {
            described.add("pid " + p.pid() + ": " + abbreviate(commandLine(p.pid())));
        }
        left.forEach(NoDaemonLeft::stop);
        throw new AssertionError(test + " left " + left.size() + " process(es) running from its temporary folder " + folders
                + " (now stopped): " + String.join("; ", described));
    }

    /**
     * The processes of this machine (other than this JVM and its ancestors) whose command line names one of
     * {@code folders} or a path inside it.
     */
    public static List<ProcessHandle> processesNaming(List<Path> folders) {
        Set<Long> skip = new LinkedHashSet<>();
        for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current()); p.isPresent(); p = p.get().parent()) {
            skip.add(p.get().pid());
        }
        List<String> names = new ArrayList<>();
        for (Path folder : folders) {
            names.add(folder.toAbsolutePath().normalize().toString());
            try {
                String real = folder.toRealPath().toString();
                if (!names.contains(real)) {
                    names.add(real);
                }
            } catch (IOException e) {
                // deleted already: its processes still carry the name they were given
            }
        }
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive).filter(p -> !skip.contains(p.pid()))
                    .filter(p -> names(commandLineArgs(p.pid()), names)).toList();
        }
    }

    private static boolean names(List<String> args, List<String> folders) {
        for (String arg : args) {
            for (String folder : folders) {
                for (int i = arg.indexOf(folder); i >= 0; i = arg.indexOf(folder, i + 1)) {
                    int end = i + folder.length();
                    if (end == arg.length() || arg.charAt(end) == File.separatorChar || arg.charAt(end) == File.pathSeparatorChar) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<Path> tempDirs(Class<?> testClass, Object instance, boolean statics) {
        List<Path> dirs = new ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(TempDir.class) || Modifier.isStatic(f.getModifiers()) != statics) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    Object value = f.get(statics ? null : instance);
                    if (value instanceof Path p) {
                        dirs.add(p);
                    } else if (value instanceof File file) {
                        dirs.add(file.toPath());
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read @TempDir field " + f, e);
                }
            }
        }
        return dirs;
    }

    private static void stop(ProcessHandle p) {
        List<ProcessHandle> family = new ArrayList<>(List.of(p));
        p.descendants().forEach(family::add);
        p.destroy();
        try {
            p.onExit().get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            // killed below
        }
        family.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : family) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the failure already
            }
        }
    }

    private static List<String> commandLineArgs(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            return List.of(raw.split("\0"));
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().arguments()).map(List::of).orElse(List.of());
        }
    }

    private static String commandLine(long pid) {
        return String.join(" ", commandLineArgs(pid));
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "...";
    }
}
