package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Fires when a table grew by at least {@code minNewRows} rows since the count a run last consumed. Counts with
 * {@code SELECT COUNT(*)} on a fresh connection per check. The table name is checked to be a plain (optionally
 * schema-qualified) identifier, since it has to be spliced into the SQL.
 *
 * <p>If the count shrinks (rows deleted, table reloaded), the state is lowered to the new count, so growth is
 * measured from there; otherwise a truncate-and-reload would never fire again.
 */
public final class JdbcRowCountTrigger {
    private static final Logger log = LoggerFactory.getLogger(JdbcRowCountTrigger.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private final String jdbcUrl;
    private final Properties connectionProperties;
    private final String table;
    private final long minNewRows;

    /**
     * @param jdbcUrl              for example {@code jdbc:sqlite:/data/events.db}
     * @param connectionProperties user, password and driver settings; never logged
     * @param table                {@code table} or {@code schema.table}: letters, digits and '_'
     * @param minNewRows           fire when at least this many rows were added (at least 1)
     */
    public JdbcRowCountTrigger(String jdbcUrl, Properties connectionProperties, String table, long minNewRows) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw FlywheelException.invalid("Row-count trigger URL '" + redact(jdbcUrl) + "' is not a JDBC URL;"
                    + " write jdbc:<driver>:..., for example jdbc:sqlite:/data/events.db");
        }
        if (table == null || !IDENTIFIER.matcher(table).matches()) {
            throw FlywheelException.invalid("Row-count trigger table '" + table + "' is not a plain table name; use"
                    + " letters, digits and '_' only, optionally as schema.table (no quotes, spaces or SQL)");
        }
        if (minNewRows < 1) {
            throw FlywheelException.invalid("Row-count trigger on " + table + ": minNewRows must be at least 1, got "
                    + minNewRows);
        }
        this.jdbcUrl = jdbcUrl;
        this.connectionProperties = new Properties();
        if (connectionProperties != null) {
            this.connectionProperties.putAll(connectionProperties);
        }
        this.table = table;
        this.minNewRows = minNewRows;
    }

    /** The table's current count as a starting state, so rows already there when registering do not fire. */
    public RowCountState baseline() {
        return new RowCountState(count());
    }

    /**
     * Counts the table's rows and compares with {@code consumed}.
     *
     * @throws FlywheelException UNAVAILABLE when the database cannot be reached or the table cannot be counted
     */
    public TriggerCheck<RowCountState> check(RowCountState consumed) {
        long count = count();
        if (count < consumed.consumedCount()) {
            log.warn("row count fell: table={} from={} to={}; measuring growth from {}", table,
                    consumed.consumedCount(), count, count);
            return new TriggerCheck.Wait<>("row count fell from " + consumed.consumedCount() + " to " + count
                    + "; growth is now measured from " + count, new RowCountState(count));
        }
        long added = count - consumed.consumedCount();
        if (added < minNewRows) {
            return new TriggerCheck.Wait<>(added + " new row(s) in " + table + "; waiting for " + minNewRows, consumed);
        }
        log.info("row-count trigger fired: table={} from={} to={}", table, consumed.consumedCount(), count);
        return new TriggerCheck.Fire<>(new LaunchReason.NewRows(table, consumed.consumedCount(), count),
                new RowCountState(count));
    }

    private long count() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, connectionProperties);
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(30);
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot count rows of table '" + table + "' at "
                    + redact(jdbcUrl) + ": " + e.getMessage() + "; check the URL, the credentials and the table name",
                    e);
        }
    }

    /** The URL without query or properties part and without user info, which may hold a password. */
    static String redact(String url) {
        if (url == null) {
            return "null";
        }
        String cut = url.split("[?;]", 2)[0];
        return cut.replaceAll("//[^/@]*@", "//");
    }

    @Override
    public String toString() {
        return "JdbcRowCountTrigger[" + redact(jdbcUrl) + " " + table + " +" + minNewRows + "]";
    }
}
