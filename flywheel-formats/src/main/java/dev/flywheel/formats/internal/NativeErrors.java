package dev.flywheel.formats.internal;

/** Native libraries put a C++ stack trace under their message; users need only the first lines. */
public final class NativeErrors {
    private NativeErrors() {
    }

    /** The message of {@code e} without native stack traces, on one line, at most 300 characters. */
    public static String summary(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int trace = m.indexOf("Stack trace:");
        if (trace >= 0) {
            m = m.substring(0, trace);
        }
        // XGBoost prefixes "[21:41:38] /workspace/src/learner.cc:1002: "; the build path means nothing to users.
        m = m.replaceAll("\\[\\d{2}:\\d{2}:\\d{2}\\] \\S+:\\d+: ", "");
        m = m.strip().replaceAll("\\s*\\n\\s*", " ").replaceAll("[\\s.:]+$", "");
        return m.length() <= 300 ? m : m.substring(0, 297) + "...";
    }
}
