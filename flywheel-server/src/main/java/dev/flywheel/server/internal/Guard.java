package dev.flywheel.server.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.server.ServerTokens;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.time.Clock;
import java.util.Optional;

/**
 * Who may do what, checked before every request: changes need a token with the write scope; when the server is bound
 * off loopback every request needs a token (only the health check does not). Tokens come in the {@code Authorization:
 * Bearer} header only, never in a cookie, so another site cannot make a browser send one (no CSRF). Also sets the
 * security headers on every answer and records every change in the audit log.
 */
final class Guard {
    static final String HEALTH = "/api/v1/health";
    private static final String TOKEN_ATTRIBUTE = "flywheel.token";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final ServerTokens tokens;
    private final boolean loopback;
    private final long maxBodyBytes;
    private final AuditLog audit;
    private final Clock clock;

    Guard(ServerTokens tokens, boolean loopback, long maxBodyBytes, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.loopback = loopback;
        this.maxBodyBytes = maxBodyBytes;
        this.audit = audit;
        this.clock = clock;
    }

    void before(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        if (!ctx.path().startsWith("/webjars/") && !ctx.path().startsWith("/static/")) {
            ctx.header("Cache-Control", "no-store");
        }
        long length = ctx.req().getContentLengthLong();
        if (length > maxBodyBytes) {
            throw new FlywheelException(ErrorCode.TOO_LARGE, "the request body is " + length + " bytes; this server accepts at most "
                    + maxBodyBytes);
        }
        boolean change = mutating(ctx.method());
        if (ctx.method() == HandlerType.OPTIONS) {
            return; // answered without data by the router; no CORS headers are ever sent
        }
        if (!change && (loopback || ctx.path().equals(HEALTH))) {
            return;
        }
        ServerTokens.TokenInfo token = authenticate(ctx);
        ctx.attribute(TOKEN_ATTRIBUTE, token);
        if (change && token.scope() != ServerTokens.Scope.WRITE) {
            throw new FlywheelException(ErrorCode.PERMISSION_DENIED, "token '" + token.name() + "' has the read scope and cannot change"
                    + " anything; create one that can: flywheel server token create NAME");
        }
    }

    void after(Context ctx) {
        if (mutating(ctx.method())) {
            ServerTokens.TokenInfo token = ctx.attribute(TOKEN_ATTRIBUTE);
            audit.record(clock.instant(), token == null ? null : token.name(), ctx.ip(), ctx.method().name(), ctx.path(),
                    ctx.statusCode());
        }
    }

    /** The token this request acts with, or null for an unauthenticated read on loopback. */
    static String actor(Context ctx) {
        ServerTokens.TokenInfo token = ctx.attribute(TOKEN_ATTRIBUTE);
        return token == null ? "api" : "token:" + token.name();
    }

    private ServerTokens.TokenInfo authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new FlywheelException(ErrorCode.UNAUTHENTICATED, (mutating(ctx.method()) ? "changes need" : "this server is bound off"
                    + " loopback, so every request needs") + " a bearer token: send 'Authorization: Bearer TOKEN'; create one with:"
                    + " flywheel server token create NAME");
        }
        Optional<ServerTokens.TokenInfo> token = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.verify(header.substring(7).strip()) : Optional.empty();
        if (token.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new FlywheelException(ErrorCode.UNAUTHENTICATED, "the bearer token is unknown or revoked; list tokens with:"
                    + " flywheel server token list");
        }
        return token.get();
    }

    private static boolean mutating(HandlerType method) {
        return method == HandlerType.POST || method == HandlerType.PUT || method == HandlerType.PATCH || method == HandlerType.DELETE;
    }
}
