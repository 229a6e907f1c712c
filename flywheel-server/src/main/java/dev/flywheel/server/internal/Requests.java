package dev.flywheel.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/** Reads a request's parameters and body; each bad value is a 400 naming its field and what it should be. */
final class Requests {
    private Requests() {
    }

    static String query(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    static int intQuery(Context ctx, String name, int fallback, int min, int max) {
        String v = query(ctx, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new InvalidField(name, "query parameter '" + name + "' must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidField(name, "query parameter '" + name + "' must be a whole number between " + min + " and " + max
                    + ", got '" + v + "'");
        }
    }

    static boolean boolQuery(Context ctx, String name) {
        String v = query(ctx, name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new InvalidField(name, "query parameter '" + name + "' must be true or false, got '" + v + "'");
        };
    }

    static Instant instantQuery(Context ctx, String name) {
        String v = query(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidField(name, "query parameter '" + name + "' must be an ISO-8601 instant such as 2026-11-29T08:00:00Z, got '"
                    + v + "'");
        }
    }

    static <E extends Enum<E>> E enumQuery(Context ctx, String name, Class<E> type) {
        String v = query(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidField(name, "query parameter '" + name + "' must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + v + "'");
        }
    }

    static int intPath(Context ctx, String name) {
        String v = ctx.pathParam(name);
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidField(name, "path segment '" + name + "' must be a version number from 1, got '" + v + "'");
        }
    }

    /** The body as a JSON object whose properties are all in {@code allowed} (unknown ones are refused, not ignored). */
    static JsonNode body(Context ctx, Set<String> allowed) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            return ApiJson.MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = ApiJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidField("body", "the request body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidField("body", "the request body must be a JSON object such as " + example(allowed));
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new InvalidField(f, "unknown property '" + f + "' in the request body; allowed: " + allowed.stream().sorted().toList());
            }
        });
        return node;
    }

    static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidField(field, "the request body needs property '" + field + "'");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new InvalidField(field, "property '" + field + "' must be a non-empty string, got " + v);
        }
        return v.asText().strip();
    }

    static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new InvalidField(field, "property '" + field + "' must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    /** The field a FlywheelException from parsing a value is about, when the caller knows it. */
    static <T> T field(String field, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidField e) {
            throw e;
        } catch (FlywheelException e) {
            if (e.code() == ErrorCode.INVALID_ARGUMENT) {
                throw new InvalidField(field, e.getMessage());
            }
            throw e;
        }
    }

    private static String example(Set<String> allowed) {
        return "{" + String.join(", ", allowed.stream().sorted().map(a -> "\"" + a + "\": ...").toList()) + "}";
    }
}
