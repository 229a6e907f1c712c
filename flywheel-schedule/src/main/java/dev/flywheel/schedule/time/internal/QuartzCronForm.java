package dev.flywheel.schedule.time.internal;

import dev.flywheel.sdk.FlywheelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a user's cron expression into Quartz's form (seconds first, exactly one of the two day fields '?').
 * Only the rewriting lives here; Quartz's {@code CronExpression} parses and checks every field afterwards.
 *
 * <p>Unix cron differs from Quartz in three ways handled here: no seconds field; day-of-week numbering (Unix
 * 0-7 with 0 and 7 = Sunday, Quartz 1-7 with 1 = Sunday); and both day fields may be restricted, meaning "either
 * matches" - which Quartz cannot say in one expression, so that case becomes two expressions whose fires are
 * merged.
 */
public final class QuartzCronForm {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> DAY_NAMES = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final Pattern RANGE_STEP = Pattern.compile("(\\*|\\w+)(?:-(\\w+))?(?:/(\\d+))?");
    private static final Pattern NTH = Pattern.compile("(\\w+)#([1-5])");
    private static final Pattern LAST = Pattern.compile("(\\w+)L");

    private QuartzCronForm() {
    }

    /**
     * The Quartz expressions (one, or two whose fires are merged) equivalent to {@code expression}.
     *
     * @throws FlywheelException INVALID_ARGUMENT naming the expression and what is wrong with it
     */
    public static List<String> of(String expression) {
        String expr = expression.strip();
        boolean unix;
        if (expr.startsWith("@")) {
            String macro = MACROS.get(expr.toLowerCase(Locale.ROOT));
            if (macro == null) {
                throw invalid(expression, "unknown macro; use one of " + new TreeSet<>(MACROS.keySet()));
            }
            expr = macro;
        }
        String[] f = expr.split("\\s+");
        unix = f.length == 5;
        if (f.length < 5 || f.length > 7) {
            throw invalid(expression, "it has " + f.length + " fields; write 5 (Unix) or 6-7 (Quartz, seconds first)");
        }
        String[] q = unix ? new String[] {"0", f[0], f[1], f[2], f[3], unixDayOfWeek(expression, f[4])} : f.clone();
        String dom = q[3];
        String dow = q[5];
        boolean domAny = dom.equals("*") || dom.equals("?");
        boolean dowAny = dow.equals("*") || dow.equals("?");
        if (dowAny) {
            q[5] = "?";
            q[3] = dom.equals("?") ? "*" : dom;
            return List.of(String.join(" ", q));
        }
        if (domAny) {
            q[3] = "?";
            return List.of(String.join(" ", q));
        }
        if (!unix) {
            throw invalid(expression, "both day-of-month '" + dom + "' and day-of-week '" + dow + "' are set; Quartz"
                    + " form needs '?' in one of them");
        }
        if (f[2].startsWith("*") || f[4].startsWith("*")) {
            // Unix cron ANDs the day fields when one starts with '*' (like */2); Quartz cannot express that.
            throw invalid(expression, "a stepped day field ('" + f[2] + "', '" + f[4] + "') combined with the other"
                    + " day field is not supported; restrict only one of day-of-month and day-of-week");
        }
        String[] byMonthDay = q.clone();
        byMonthDay[5] = "?";
        String[] byWeekDay = q.clone();
        byWeekDay[3] = "?";
        return List.of(String.join(" ", byMonthDay), String.join(" ", byWeekDay));
    }

    /** Translates a Unix day-of-week field into Quartz numbering (Sunday 1 ... Saturday 7). */
    private static String unixDayOfWeek(String expression, String field) {
        if (field.equals("*") || field.equals("?")) {
            return field;
        }
        List<String> out = new ArrayList<>();
        TreeSet<Integer> days = new TreeSet<>();
        for (String token : field.toUpperCase(Locale.ROOT).split(",", -1)) {
            Matcher nth = NTH.matcher(token);
            Matcher last = LAST.matcher(token);
            if (nth.matches()) {
                out.add(quartzDay(unixDay(expression, nth.group(1))) + "#" + nth.group(2));
            } else if (last.matches()) {
                out.add(quartzDay(unixDay(expression, last.group(1))) + "L");
            } else {
                days.addAll(expand(expression, token));
            }
        }
        days.forEach(d -> out.add(String.valueOf(quartzDay(d))));
        if (out.size() > 1 && out.stream().anyMatch(t -> t.contains("#") || t.endsWith("L"))) {
            throw invalid(expression, "day-of-week '" + field + "' mixes '#' or 'L' with other days; Quartz allows"
                    + " '#' and 'L' only alone");
        }
        return String.join(",", out);
    }

    private static List<Integer> expand(String expression, String token) {
        Matcher m = RANGE_STEP.matcher(token);
        if (!m.matches()) {
            throw invalid(expression, "day-of-week item '" + token + "' is not a day (0-7 or SUN-SAT), a range"
                    + " (MON-FRI) or a step (*/2)");
        }
        int step = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        if (step < 1) {
            throw invalid(expression, "day-of-week step in '" + token + "' must be at least 1");
        }
        int from;
        int to;
        if (m.group(1).equals("*")) {
            if (m.group(2) != null) {
                throw invalid(expression, "day-of-week item '" + token + "' is not a valid range");
            }
            from = 0;
            to = 6;
        } else {
            from = unixDay(expression, m.group(1));
            boolean ranged = m.group(2) != null;
            // "1/2" means "from 1 to Saturday, every 2nd day" (MON,WED,FRI); 7 = Sunday only when written.
            to = ranged ? unixDay(expression, m.group(2)) : (m.group(3) != null ? 6 : from);
            if (to < from) {
                throw invalid(expression, "day-of-week range '" + token + "' runs backwards; split it, for example"
                        + " FRI-SAT,SUN");
            }
        }
        List<Integer> days = new ArrayList<>();
        for (int d = from; d <= to; d += step) {
            days.add(d % 7);
        }
        return days;
    }

    private static int unixDay(String expression, String value) {
        int named = DAY_NAMES.indexOf(value);
        if (named >= 0) {
            return named;
        }
        try {
            int day = Integer.parseInt(value);
            if (day >= 0 && day <= 7) {
                return day;
            }
        } catch (NumberFormatException notANumber) {
            // fall through to the error below
        }
        throw invalid(expression, "day-of-week '" + value + "' is not 0-7 (0 and 7 = Sunday) or SUN-SAT");
    }

    private static int quartzDay(int unixDay) {
        return unixDay % 7 + 1;
    }

    static FlywheelException invalid(String expression, String problem) {
        return FlywheelException.invalid("Cron expression '" + expression + "' is invalid: " + problem);
    }
}
