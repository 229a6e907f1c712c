package dev.flywheel.store.metadata;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one connection, inside a transaction when used for writes. */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
