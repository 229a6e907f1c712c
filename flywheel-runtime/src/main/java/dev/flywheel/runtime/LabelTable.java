package dev.flywheel.runtime;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.References;

import java.util.regex.Pattern;

/**
 * A database table that ground truth lands in, read over JDBC ({@code flywheel monitor labels MODEL --jdbc-url URL
 * --table T}): one row per labelled request, matched with the logged predictions by request id.
 *
 * <p>What was read is remembered per model and table (a watermark), so each label is imported once: with
 * {@code watermarkColumn} (a number or time that grows as rows are added or changed, such as an identity column or an
 * {@code updated_at}) only rows at or after the last one read are queried; without it the whole table is read. Either
 * way a row whose label is already kept with the same value is skipped, and a row whose label is still NULL holds the
 * watermark back, so it is read again until its label arrives.
 *
 * @param url             the JDBC URL ({@code jdbc:postgresql://db:5432/shop}, {@code jdbc:sqlite:/data/labels.db})
 * @param table           the table, optionally with its schema ({@code public.labels})
 * @param idColumn        the column of request ids (the X-Request-Id the server returned)
 * @param rowColumn       the column of row numbers for requests of several rows, or null (every label is row 0)
 * @param labelColumn     the column of true values (numbers; rows where it is NULL are not labelled yet)
 * @param watermarkColumn the column that grows with every new or changed row, or null
 * @param user            the database user, or null
 * @param password        the password as a reference, {@code {{secret.NAME.KEY}}} or {@code {{env.VAR}}}, or null;
 *                        never the password itself, so it is never stored or shown
 */
public record LabelTable(String url, String table, String idColumn, String rowColumn, String labelColumn, String watermarkColumn,
                         String user, String password) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    public LabelTable {
        if (url == null || !url.startsWith("jdbc:")) {
            throw FlywheelException.invalid("--jdbc-url must be a JDBC URL such as jdbc:postgresql://host:5432/db or"
                    + " jdbc:sqlite:/path/labels.db, got " + (url == null ? "nothing" : "'" + masked(url) + "'"));
        }
        if (table == null || !TABLE.matcher(table).matches()) {
            throw FlywheelException.invalid("--table must be a table name (letters, digits, _; optionally schema.table), got '" + table + "'");
        }
        idColumn = column(idColumn, "request_id", "--id-column");
        labelColumn = column(labelColumn, "label", "--label-column");
        rowColumn = rowColumn == null ? null : column(rowColumn, null, "--row-column");
        watermarkColumn = watermarkColumn == null ? null : column(watermarkColumn, null, "--watermark-column");
        if (user != null && user.isBlank()) {
            user = null;
        }
        if (password != null && !References.isSingleReference(password)) {
            throw FlywheelException.invalid("the database password must be a reference, never the password itself: --password-env VAR"
                    + " (an environment variable) or --password '{{secret.NAME.KEY}}' (flywheel secret create NAME -v KEY=...)");
        }
    }

    /** The URL with any password in it masked: for messages. */
    public String where() {
        return masked(url) + " table " + table;
    }

    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }

    private static String column(String value, String fallback, String option) {
        String v = value == null ? fallback : value;
        if (v == null || !IDENTIFIER.matcher(v).matches()) {
            throw FlywheelException.invalid(option + " must be a column name (letters, digits, _), got '" + value + "'");
        }
        return v;
    }
}
