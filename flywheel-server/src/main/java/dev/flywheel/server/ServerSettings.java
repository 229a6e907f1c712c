package dev.flywheel.server;

import dev.flywheel.sdk.FlywheelException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the server listens and what it accepts. Loopback by default; bound anywhere else, every request (not only
 * changes) must carry a bearer token.
 *
 * @param host         the address to bind ({@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0}, a host name)
 * @param port         the port, 0 for any free one
 * @param maxBodyBytes the largest request body accepted; larger ones are refused with 413
 */
public record ServerSettings(String host, int port, long maxBodyBytes) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8237;
    /** Request bodies are small JSON documents (a stage, an alias): 64 KiB is far more than any needs. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public ServerSettings {
        if (host == null || host.isBlank()) {
            throw FlywheelException.invalid("--host must name an address, for example " + DEFAULT_HOST);
        }
        if (port < 0 || port > 65535) {
            throw FlywheelException.invalid("--port must be between 0 and 65535, got " + port);
        }
        if (maxBodyBytes < 1) {
            throw FlywheelException.invalid("the request size limit must be at least 1 byte, got " + maxBodyBytes);
        }
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw FlywheelException.invalid("--host '" + host + "' is not an address this machine can resolve");
        }
    }

    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES);
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, maxBodyBytes);
    }

    /** Whether only this machine can connect: then reads need no token (changes always do). */
    public boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // checked in the constructor; a name that stopped resolving is treated as open
        }
    }
}
