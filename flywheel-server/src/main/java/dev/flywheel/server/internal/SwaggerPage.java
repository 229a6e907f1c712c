package dev.flywheel.server.internal;

/** Swagger UI from its webjar, pointed at this server's OpenAPI document (no inline script: the CSP forbids it). */
final class SwaggerPage {
    static final String ASSETS = "/webjars/swagger-ui/" + version();
    static final String HTML = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Flywheel API</title>
              <link rel="stylesheet" href="%1$s/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="%1$s/swagger-ui-bundle.js"></script>
              <script src="/static/swagger-init.js"></script>
            </body>
            </html>
            """.formatted(ASSETS);

    private SwaggerPage() {
    }

    private static String version() {
        try (var in = SwaggerPage.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("the swagger-ui webjar is not on the class path", e);
        }
    }
}
