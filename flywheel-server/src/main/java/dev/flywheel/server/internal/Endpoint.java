package dev.flywheel.server.internal;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.List;
import java.util.Map;

/**
 * One REST endpoint: what the router serves and what the OpenAPI document says about it, written once so the two
 * cannot drift apart.
 *
 * @param path    Javalin's and OpenAPI's path form ({@code /api/v1/runs/{id}})
 * @param params  query and path parameters
 * @param body    the properties of the JSON body a change takes, with their descriptions (empty: no body)
 * @param produces the response's media type
 */
record Endpoint(HandlerType method, String path, String tag, String summary, List<Param> params, Map<String, String> body,
                String produces, Handler handler) {
    Endpoint {
        params = List.copyOf(params);
        body = Map.copyOf(body);
    }

    /** A change: always needs a token with the write scope. */
    boolean mutating() {
        return method != HandlerType.GET && method != HandlerType.HEAD;
    }

    /** A parameter of an endpoint; {@code type} is an OpenAPI primitive type ({@code string}, {@code integer}, {@code boolean}). */
    record Param(String name, In in, String type, boolean required, String description) {
        enum In { PATH, QUERY }

        static Param path(String name, String description) {
            return new Param(name, In.PATH, "string", true, description);
        }

        static Param query(String name, String type, String description) {
            return new Param(name, In.QUERY, type, false, description);
        }
    }
}
