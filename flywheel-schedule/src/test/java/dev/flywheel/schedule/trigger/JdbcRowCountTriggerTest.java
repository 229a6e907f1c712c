package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcRowCountTriggerTest {
    @TempDir
    Path dir;
    private String url;

    @BeforeEach
    void createTable() throws SQLException {
        url = "jdbc:sqlite:" + dir.resolve("events.db");
        sql("CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT)");
        insert(5);
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    private void insert(int rows) throws SQLException {
        for (int i = 0; i < rows; i++) {
            sql("INSERT INTO events (payload) VALUES ('row')");
        }
    }

    @Test
    void firesWhenTheTableGrewByAtLeastTheMinimumSinceTheConsumedCount() throws SQLException {
        JdbcRowCountTrigger trigger = new JdbcRowCountTrigger(url, null, "events", 3);
        RowCountState baseline = trigger.baseline();
        assertThat(baseline.consumedCount()).isEqualTo(5);

        insert(2);
        TriggerCheck<RowCountState> notYet = trigger.check(baseline);
        assertThat(notYet).isInstanceOf(TriggerCheck.Wait.class);
        assertThat(((TriggerCheck.Wait<RowCountState>) notYet).reason()).contains("2 new row(s) in events; waiting for 3");
        assertThat(notYet.state()).isEqualTo(baseline);

        insert(1);
        TriggerCheck<RowCountState> fire = trigger.check(baseline);
        assertThat(fire).isInstanceOf(TriggerCheck.Fire.class);
        assertThat(((TriggerCheck.Fire<RowCountState>) fire).reason()).isEqualTo(new LaunchReason.NewRows("events", 5, 8));
        assertThat(fire.state()).isEqualTo(new RowCountState(8));

        assertThat(trigger.check(fire.state())).isInstanceOf(TriggerCheck.Wait.class);
    }

    @Test
    void aShrunkTableLowersTheBaselineSoAReloadFiresAgain() throws SQLException {
        JdbcRowCountTrigger trigger = new JdbcRowCountTrigger(url, new Properties(), "events", 5);
        sql("DELETE FROM events");

        TriggerCheck<RowCountState> shrunk = trigger.check(new RowCountState(5));
        assertThat(shrunk.state()).isEqualTo(new RowCountState(0));

        insert(5);
        assertThat(trigger.check(shrunk.state())).isInstanceOf(TriggerCheck.Fire.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"events; DROP TABLE events", "events e", "\"events\"", "1events", "a.b.c", ""})
    void tableNamesThatAreNotPlainIdentifiersAreRejected(String table) {
        assertThatThrownBy(() -> new JdbcRowCountTrigger(url, null, table, 1))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'" + table + "' is not a plain table name");
    }

    @Test
    void schemaQualifiedNamesAreAccepted() {
        assertThat(new JdbcRowCountTrigger(url, null, "main.events", 1).baseline().consumedCount()).isEqualTo(5);
    }

    @Test
    void missingTableFailsAsUnavailableNamingTableAndUrl() {
        JdbcRowCountTrigger trigger = new JdbcRowCountTrigger(url, null, "nope", 1);

        assertThatThrownBy(trigger::baseline)
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("'nope'").hasMessageContaining(url).hasMessageContaining("no such table");
    }

    @Test
    void errorMessagesNeverShowPasswordsFromTheUrl() {
        assertThat(JdbcRowCountTrigger.redact("jdbc:postgresql://bob:s3cret@db:5432/app?password=s3cret"))
                .isEqualTo("jdbc:postgresql://db:5432/app");
        assertThatThrownBy(() -> new JdbcRowCountTrigger("postgres://u:s3cret@h/db", null, "t", 1))
                .hasMessageNotContaining("s3cret").hasMessageContaining("not a JDBC URL");
    }

    @Test
    void minimumBelowOneIsRejected() {
        assertThatThrownBy(() -> new JdbcRowCountTrigger(url, null, "events", 0)).hasMessageContaining("minNewRows must be at least 1");
    }
}
