package dev.flywheel.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3 document of the REST API, built from the same {@link Endpoint} list the router serves. */
final class OpenApiDocument {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private OpenApiDocument() {
    }

    static ObjectNode of(List<Endpoint> endpoints, String version) {
        ObjectNode doc = ApiJson.MAPPER.createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Flywheel API");
        info.put("version", version);
        info.put("description", "Runs, artifacts, models, served models, schedules and triggers of one Flywheel project. "
                + "Changes (POST, DELETE) need a bearer token (flywheel server token create NAME); so does every call when the "
                + "server is bound off loopback. Errors are {error_code, message} with the CLI's codes.");
        ObjectNode components = doc.putObject("components");
        ObjectNode bearer = components.putObject("securitySchemes").putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        ObjectNode error = components.putObject("schemas").putObject("Error");
        error.put("type", "object");
        error.putArray("required").add("error_code").add("message");
        ObjectNode errorProps = error.putObject("properties");
        errorProps.putObject("error_code").put("type", "string").put("description", "the ErrorCode name: INVALID_ARGUMENT, NOT_FOUND, ...");
        errorProps.putObject("message").put("type", "string").put("description", "what is wrong and how to fix it");
        errorProps.putObject("field").put("type", "string").put("description", "for a 400, the parameter or property at fault");
        ObjectNode paths = doc.putObject("paths");
        for (Endpoint e : endpoints) {
            ObjectNode path = paths.has(e.path()) ? (ObjectNode) paths.get(e.path()) : paths.putObject(e.path());
            ObjectNode op = path.putObject(e.method().name().toLowerCase(Locale.ROOT));
            op.putArray("tags").add(e.tag());
            op.put("summary", e.summary());
            op.put("operationId", operationId(e));
            if (e.mutating()) {
                op.putArray("security").addObject().putArray("bearer");
            }
            ArrayNode params = op.putArray("parameters");
            Matcher m = PATH_PARAM.matcher(e.path());
            while (m.find()) {
                String name = m.group(1);
                Endpoint.Param p = e.params().stream().filter(x -> x.name().equals(name)).findFirst()
                        .orElse(Endpoint.Param.path(name, name));
                params.add(param(p));
            }
            e.params().stream().filter(p -> p.in() == Endpoint.Param.In.QUERY).forEach(p -> params.add(param(p)));
            if (!e.body().isEmpty()) {
                ObjectNode schema = op.putObject("requestBody").putObject("content").putObject("application/json").putObject("schema");
                schema.put("type", "object");
                schema.put("additionalProperties", false);
                ObjectNode props = schema.putObject("properties");
                e.body().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .forEach(b -> props.putObject(b.getKey()).put("description", b.getValue()));
            }
            ObjectNode responses = op.putObject("responses");
            responses.putObject("200").put("description", "OK").putObject("content").putObject(e.produces()).putObject("schema")
                    .put("type", e.produces().equals("application/json") ? "object" : "string");
            for (String code : List.of("400", "401", "403", "404", "409")) {
                if ((code.equals("401") || code.equals("403")) && !e.mutating()) {
                    continue;
                }
                responses.putObject(code).put("description", switch (code) {
                    case "400" -> "bad input; field names the parameter";
                    case "401" -> "no valid bearer token";
                    case "403" -> "the token may not change anything (read scope)";
                    case "404" -> "no such thing";
                    default -> "the change contradicts the current state";
                }).putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
            }
        }
        return doc;
    }

    private static ObjectNode param(Endpoint.Param p) {
        ObjectNode n = ApiJson.MAPPER.createObjectNode();
        n.put("name", p.name());
        n.put("in", p.in() == Endpoint.Param.In.PATH ? "path" : "query");
        n.put("required", p.in() == Endpoint.Param.In.PATH || p.required());
        n.put("description", p.description());
        n.putObject("schema").put("type", p.type());
        return n;
    }

    private static String operationId(Endpoint e) {
        String p = e.path().replace("/api/v1/", "").replaceAll("\\{[^}]+}", "by").replaceAll("[^A-Za-z0-9]+", "_");
        return e.method().name().toLowerCase(Locale.ROOT) + "_" + p;
    }
}
