package dev.flywheel.examples.demand;

import dev.flywheel.sdk.data.Table;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.MonthDay;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A realistic, time-ordered data set of hourly rental demand, generated (no download): daily and weekly rhythm,
 * seasons and temperature, weather, growth month after month, and a change of habits half-way (commuting drops,
 * the evening peak moves later, weekends grow) so that a model trained on old months degrades on new ones.
 * Deterministic for a given seed.
 */
public final class DemandData {
    /** The feature columns a model reads, in order. */
    public static final java.util.List<String> FEATURES = java.util.List.of(
            "month", "hour", "weekday", "workingday", "holiday", "weather", "temp", "humidity", "windspeed");
    public static final String TARGET = "demand";
    /** The month from which commuting habits change. */
    public static final int REGIME_CHANGE_MONTH = 6;

    private static final LocalDate START = LocalDate.of(2024, 1, 1);
    private static final Set<MonthDay> HOLIDAYS = Set.of(MonthDay.of(1, 1), MonthDay.of(5, 27), MonthDay.of(7, 4),
            MonthDay.of(9, 2), MonthDay.of(11, 28), MonthDay.of(12, 25));

    private DemandData() {
    }

    /** The hourly rows of month {@code index} (0 = January 2024). */
    public static Table month(int index, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        LocalDate first = START.plusMonths(index);
        LocalDate end = first.plusMonths(1);
        int hours = (int) java.time.temporal.ChronoUnit.HOURS.between(first.atStartOfDay(), end.atStartOfDay());
        String[] timestamp = new String[hours];
        long[] month = new long[hours], hour = new long[hours], weekday = new long[hours], workingday = new long[hours];
        long[] holiday = new long[hours], weather = new long[hours], demand = new long[hours];
        double[] temp = new double[hours], humidity = new double[hours], windspeed = new double[hours];
        int weatherState = 1;
        for (int i = 0; i < hours; i++) {
            LocalDateTime t = first.atStartOfDay().plusHours(i);
            boolean isHoliday = HOLIDAYS.contains(MonthDay.from(t));
            boolean weekend = t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY;
            weatherState = nextWeather(weatherState, random);
            double season = 0.5 + 0.33 * Math.sin(2 * Math.PI * (t.getDayOfYear() - 110) / 365.0);
            double daily = 0.08 * Math.sin(2 * Math.PI * (t.getHour() - 9) / 24.0);
            double tmp = clamp(season + daily + random.nextGaussian() * 0.04 - 0.04 * (weatherState - 1));

            timestamp[i] = t.toString();
            month[i] = t.getMonthValue();
            hour[i] = t.getHour();
            weekday[i] = t.getDayOfWeek().getValue() - 1;
            workingday[i] = weekend || isHoliday ? 0 : 1;
            holiday[i] = isHoliday ? 1 : 0;
            weather[i] = weatherState;
            temp[i] = round3(tmp);
            humidity[i] = round3(clamp(0.55 + 0.12 * (weatherState - 1) + random.nextGaussian() * 0.08));
            windspeed[i] = round3(clamp(0.18 + Math.abs(random.nextGaussian()) * 0.1));

            double level = 120 * (1 + 0.035 * index);
            double rhythm = workingday[i] == 1 ? commute(t.getHour(), index) : leisure(t.getHour(), index);
            double comfort = comfort(tmp);
            double weatherFactor = switch (weatherState) {
                case 1 -> 1.0;
                case 2 -> 0.82;
                case 3 -> 0.45;
                default -> 0.15;
            };
            double noise = Math.exp(random.nextGaussian() * 0.12);
            demand[i] = Math.max(0, Math.round(level * rhythm * comfort * weatherFactor * noise));
        }
        return Table.builder()
                .strings("timestamp", timestamp)
                .longs("month", month).longs("hour", hour).longs("weekday", weekday).longs("workingday", workingday)
                .longs("holiday", holiday).longs("weather", weather)
                .doubles("temp", temp).doubles("humidity", humidity).doubles("windspeed", windspeed)
                .longs(TARGET, demand)
                .build();
    }

    /**
     * How much temperature invites riding (a share of 41 degrees in, a factor of demand out): most at 28 degrees, less
     * in the cold and in the heat.
     */
    public static double comfort(double temp) {
        return 0.35 + 1.1 * Math.exp(-Math.pow((temp - 0.68) / 0.24, 2));
    }

    /**
     * The hours of {@code month} in a heat wave: every temperature pushed {@code heat} of the way to the hottest the
     * data knows (1 = 41 degrees, so it stays valid), a fifth drier, and the demand the heat really brings: each hour's
     * demand scaled by how much less the heat invites riding ({@link #comfort}), everything else about the hour kept.
     */
    public static Table heatWave(Table month, double heat) {
        if (!(heat >= 0 && heat <= 1)) {
            throw new IllegalArgumentException("heat must be between 0 and 1, got " + heat);
        }
        double[] temp = month.doubles("temp");
        double[] humidity = month.doubles("humidity");
        double[] demand = month.doubles(TARGET);
        double[] hot = new double[temp.length];
        double[] dry = new double[humidity.length];
        long[] riders = new long[demand.length];
        for (int i = 0; i < temp.length; i++) {
            hot[i] = round3(temp[i] + (1 - temp[i]) * heat);
            dry[i] = round3(humidity[i] * 0.8);
            riders[i] = Math.round(demand[i] * comfort(hot[i]) / comfort(temp[i]));
        }
        return month.withColumn("temp", new dev.flywheel.sdk.data.DoubleColumn(hot))
                .withColumn("humidity", new dev.flywheel.sdk.data.DoubleColumn(dry))
                .withColumn(TARGET, new dev.flywheel.sdk.data.LongColumn(riders));
    }

    /** Writes month {@code index} to {@code folder} as {@code batch-NN.csv} (temporary name, then rename); returns the file. */
    public static Path writeBatch(Path folder, int index, long seed) {
        return MonthlyBatches.write(month(index, seed), folder, index + 1);
    }

    /** Weekday rhythm: morning and evening commute; after the regime change, less commuting and a later evening. */
    private static double commute(int hour, int monthIndex) {
        boolean changed = monthIndex >= REGIME_CHANGE_MONTH;
        double night = hour < 6 ? 0.08 : 0.0;
        double morning = (changed ? 1.6 : 3.2) * bump(hour, 8, 1.0);
        double evening = 3.4 * bump(hour, changed ? 19 : 17.5, 1.3);
        double day = 0.9 * bump(hour, 13, 3.5);
        return Math.max(0.05, night + morning + evening + day);
    }

    /** Weekend and holiday rhythm: one wide afternoon bump, larger after the regime change. */
    private static double leisure(int hour, int monthIndex) {
        double scale = monthIndex >= REGIME_CHANGE_MONTH ? 2.7 : 2.0;
        return Math.max(0.05, scale * bump(hour, 14, 3.2) + (hour < 6 ? 0.1 : 0));
    }

    private static double bump(double hour, double center, double width) {
        return Math.exp(-Math.pow((hour - center) / width, 2));
    }

    private static int nextWeather(int state, SplittableRandom random) {
        double r = random.nextDouble();
        if (r < 0.9) {
            return state;
        }
        double p = random.nextDouble();
        return p < 0.62 ? 1 : p < 0.88 ? 2 : p < 0.98 ? 3 : 4;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
