package io.gobstopper.tasks.boot.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The live dashboard: a static page, its assets and a {@code config.json} that tells the page where the REST API
 * lives and whether it may change anything. Everything is served from the starter's jar under the dashboard path;
 * the chart library comes from the Chart.js WebJar, when it is on the class path.
 */
public final class TasksDashboard implements RouterFunction<ServerResponse> {

    static final String ASSETS = "META-INF/gobstopper/dashboard/";
    static final String CHART_WEBJAR = "META-INF/resources/webjars/chart.js/";
    static final String CHART_FILE = "chart.umd.min.js";

    /** No script, style or connection to any other origin: the application may have no internet. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

    private final String path;
    private final String apiBasePath;
    private final boolean readOnly;
    private final String chartVersion;
    private final String page;
    private final RouterFunction<ServerResponse> routes;

    /**
     * @param path where the dashboard is served, e.g. {@code /gobstopper}
     * @param apiBasePath where the REST API is served, e.g. {@code /api/tasks}
     * @param readOnly whether the page hides the actions that change tasks
     */
    public TasksDashboard(String path, String apiBasePath, boolean readOnly) {
        this.path = path;
        this.apiBasePath = apiBasePath;
        this.readOnly = readOnly;
        this.chartVersion = findChartVersion().orElse(null);
        this.page = text(new ClassPathResource(ASSETS + "index.html"));
        this.routes = routes();
    }

    /** The dashboard path, e.g. {@code /gobstopper}. */
    public String path() {
        return path;
    }

    /** The version of the Chart.js WebJar the page uses, or {@code null} when it is not on the class path. */
    public String chartVersion() {
        return chartVersion;
    }

    @Override
    public Optional<HandlerFunction<ServerResponse>> route(ServerRequest request) {
        return routes.route(request);
    }

    @Override
    public void accept(RouterFunctions.Visitor visitor) {
        routes.accept(visitor);
    }

    private RouterFunction<ServerResponse> routes() {
        RouterFunctions.Builder builder = RouterFunctions.route()
                .GET(path, this::page)
                .GET(path + "/", this::page)
                .GET(path + "/config.json", this::config)
                .resources(path + "/assets/**", new ClassPathResource(ASSETS + "assets/"));
        if (chartVersion != null) {
            builder.resources(
                    path + "/vendor/chart.js/**", new ClassPathResource(CHART_WEBJAR + chartVersion + "/dist/"));
        }
        return builder.build();
    }

    private ServerResponse page(ServerRequest request) {
        String root = request.servletRequest().getContextPath() + path + "/";
        String chart = chartVersion == null ? "" : "<script src=\"vendor/chart.js/" + CHART_FILE + "\" defer></script>";
        String html = page.replace("{{base}}", HtmlUtils.htmlEscape(root)).replace("{{chart}}", chart);
        return ServerResponse.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .body(html);
    }

    private ServerResponse config(ServerRequest request) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiBase", request.servletRequest().getContextPath() + apiBasePath);
        config.put("readOnly", readOnly);
        config.put("chart", chartVersion != null);
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noStore())
                .body(config);
    }

    /** The Chart.js version, read from the WebJar's own Maven metadata so that no version is written twice. */
    private static Optional<String> findChartVersion() {
        Resource metadata = new ClassPathResource("META-INF/maven/org.webjars.npm/chart.js/pom.properties");
        if (!metadata.exists()) {
            return Optional.empty();
        }
        try (InputStream in = metadata.getInputStream()) {
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            boolean present =
                    version != null && new ClassPathResource(CHART_WEBJAR + version + "/dist/" + CHART_FILE).exists();
            return present ? Optional.of(version) : Optional.empty();
        } catch (IOException ex) {
            return Optional.empty();
        }
    }

    private static String text(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("The dashboard page " + resource + " is missing from the starter", ex);
        }
    }
}
