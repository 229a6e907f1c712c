package dev.flywheel.serving.internal;

import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.NetworkConnectionLimit;

/**
 * At most {@code max} open connections: at the cap the connector stops accepting (new clients wait in the backlog)
 * and every connection, including those still being set up, gets the short idle timeout, so idle and trickling
 * clients are cut within about a second and waiting clients get in. Below the cap the normal idle timeout returns.
 */
final class ConnectionCap extends NetworkConnectionLimit {
    private final AbstractConnector connector;
    private final long idleTimeoutMillis;
    private final long cappedIdleTimeoutMillis;

    ConnectionCap(int max, AbstractConnector connector, long idleTimeoutMillis, long cappedIdleTimeoutMillis) {
        super(max, connector);
        this.connector = connector;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.cappedIdleTimeoutMillis = cappedIdleTimeoutMillis;
        setEndPointIdleTimeout(cappedIdleTimeoutMillis);
    }

    @Override
    protected void limit() {
        // Endpoints accepted in the same burst are not connected yet when the cap is reached: the connector's own
        // timeout is what they will be created with.
        connector.setIdleTimeout(cappedIdleTimeoutMillis);
        super.limit();
    }

    @Override
    protected void unlimit() {
        connector.setIdleTimeout(idleTimeoutMillis);
        super.unlimit();
    }
}
