package dev.flywheel.server;

import dev.flywheel.registry.Stage;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium against a real server on a project filled by real runs, with a model
 * served live by a real server process and a canary analysing its requests: every page shows the project's data,
 * promotes made in the pages change the registry, pages follow server events, pages fit 1280 px and 390 px, and no
 * page breaks its Content-Security-Policy. Screenshots of every page go to target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    ServerFixture f;
    Browser browser;
    String token;
    String scheduleId;
    /** A run of 150 steps (drawn as a timeline). */
    String wideRun;
    /** Version 2 of tiny served live, with a canary of version 3 on it that analyses real requests. */
    LiveRollout live;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Browser.assumeInstalled();
        f = new ServerFixture(dir);
        token = f.tokens().create("ui", ServerTokens.Scope.WRITE).secret();
        scheduleId = f.flywheel.schedules().create("tiny", Schedule.every(Duration.ofHours(12)), LaunchSpec.of(null)).id();
        wideRun = f.flywheel.run(ChainPipelines.chain("wide", 150), RunOptions.defaults(), RunListener.NONE).runId();
        live = LiveRollout.start(f);
        f.flywheel.alerts().post(Alert.of(Alert.Severity.WARNING, "Model tiny drifts: x1", "1 of 2 features drifted in the last 24 hours"));
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (live != null) {
            live.close();
        }
        if (f != null) {
            f.close();
        }
    }

    private void open(String path) {
        browser.driver.get(f.uri(path).toString());
    }

    private String text() {
        return browser.driver.findElement(By.tagName("main")).getText();
    }

    @Test
    void everyPageShowsTheProjectsRealDataAtBothWidths() {
        String run = f.runs.getFirst().runId();
        String artifact = f.runs.getFirst().artifactId("load", "data");
        List<String> pages = List.of("/", "/runs", "/runs/" + run, "/runs/" + wideRun, "/artifacts/" + artifact, "/models", "/models/tiny",
                "/deployments", "/rollouts", "/rollouts/" + live.rolloutId(), "/monitoring", "/monitoring/tiny", "/schedules");
        for (int width : new int[]{1280, 390}) {
            browser.resize(width, width == 390 ? 844 : 900);
            for (String page : pages) {
                long started = System.nanoTime();
                open(page);
                {
                    Long overflow = (Long) ((JavascriptExecutor) browser.driver).executeScript(
                            "return document.documentElement.scrollWidth - window.innerWidth;");
                    if (overflow > 0) {
                        Object culprits = ((JavascriptExecutor) browser.driver).executeScript("return Array.from(document.querySelectorAll("
                                + "'body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth && !e.closest('.scroll'))"
                                + ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));");
                        assertThat(overflow).as("page %s at %d px scrolls sideways; too wide: %s", page, width, culprits).isLessThanOrEqualTo(0L);
                    }
                    assertThat(browser.driver.findElements(By.cssSelector("input:not([type=hidden]), select")))
                            .allSatisfy(e -> assertThat(labelled(e)).as("a control without a label on %s", page).isTrue());
                }
                System.out.printf("%s at %d px loaded in %d ms (%s)%n", page, width, (System.nanoTime() - started) / 1_000_000,
                        ((JavascriptExecutor) browser.driver).executeScript("var n = performance.getEntriesByType('navigation')[0];"
                                + " var p = performance.getEntriesByName('first-contentful-paint')[0];"
                                + " return 'server ' + Math.round(n.responseStart - n.requestStart) + ' ms, first paint '"
                                + " + (p ? Math.round(p.startTime) : '?') + ' ms, load ' + Math.round(n.loadEventEnd) + ' ms';"));
                browser.screenshot(width + "px" + (page.equals("/") ? "-overview" : page.equals("/runs/" + wideRun) ? "-runs-150-steps"
                        : page.replace('/', '-').replaceAll("-[0-9a-f-]{16,}", "-one")));
            }
        }
        browser.resize(1280, 900);
        List<LogEntry> severe = browser.driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList();
        assertThat(severe).as("console errors (CSP violations, script errors)").isEmpty();
    }

    private boolean labelled(WebElement e) {
        String id = e.getAttribute("id");
        return e.getAttribute("aria-label") != null
                || (id != null && !browser.driver.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty());
    }

    @Test
    void overviewAndRunsListTheRuns() {
        open("/");
        for (var r : f.runs) {
            assertThat(text()).contains(r.runId().substring(0, 8));
        }
        assertThat(text()).contains("tiny");
        open("/runs?status=succeeded&pipeline=tiny");
        assertThat(browser.driver.findElements(By.cssSelector("main tbody tr"))).hasSize(3);
        assertThat(text()).contains("0 of 2"); // cached steps of 2
    }

    @Test
    void runPageDrawsTheGraphWithItsStepsAndShowsLogsAndArtifacts() {
        open("/runs/" + f.runs.get(1).runId());
        List<String> steps = browser.driver.findElements(By.cssSelector("svg.dag g.node")).stream()
                .map(e -> e.getAttribute("data-step")).toList();
        assertThat(steps).containsExactly("load", "train");
        assertThat(browser.driver.findElements(By.cssSelector("svg.dag line"))).hasSize(1);
        WebElement log = browser.driver.findElement(By.cssSelector("details.log[data-step=train]"));
        log.findElement(By.tagName("summary")).click();
        assertThat(log.getText()).contains("trained on 200 rows");
        assertThat(text()).contains("load.data", "train.model");
        browser.driver.findElement(By.xpath("//a[text()='data']")).click();
        Await.until(Duration.ofSeconds(10), "the artifact page opens", () -> browser.driver.getCurrentUrl().contains("/artifacts/"));
        assertThat(browser.driver.findElements(By.cssSelector("table.preview thead th"))).extracting(WebElement::getText)
                .containsExactly("x1", "x2", "y");
    }

    @Test
    void modelPageChartsEachMetricWithOnePointPerVersion() {
        open("/models/tiny");
        List<WebElement> charts = browser.driver.findElements(By.cssSelector("figure.chart"));
        assertThat(charts).extracting(c -> c.getAttribute("data-metric")).containsExactly("rmse", "rows");
        for (WebElement chart : charts) {
            WebElement plot = chart.findElement(By.cssSelector(".plot"));
            Await.until(Duration.ofSeconds(10), "the chart is drawn with 3 points", () -> "3".equals(plot.getAttribute("data-points")));
            assertThat(plot.findElements(By.tagName("canvas"))).isNotEmpty();
        }
        Object rows = ((JavascriptExecutor) browser.driver).executeScript("return window.flywheelCharts.rows.data[1];");
        assertThat(rows.toString()).isEqualTo("[100, 200, 300]");
    }

    @Test
    void promoteInThePageChangesTheRegistry() {
        open("/models/tiny");
        ((JavascriptExecutor) browser.driver).executeScript("sessionStorage.clear();");
        browser.driver.findElement(By.cssSelector("tr[data-version='1'] button.promote")).click();
        Await.until(Duration.ofSeconds(10), "the page says a token is needed", () -> browser.driver.findElement(By.id("message")).isDisplayed());
        assertThat(browser.driver.findElement(By.id("message")).getText()).contains("token");
        assertThat(f.flywheel.models().get("tiny", 1).stage()).isEqualTo(Stage.NONE);

        browser.driver.findElement(By.id("token")).sendKeys(token);
        browser.driver.findElement(By.cssSelector("#token-form button")).click();
        new Select(browser.driver.findElement(By.id("stage-1"))).selectByValue("production");
        browser.driver.findElement(By.cssSelector("tr[data-version='1'] button.promote")).click();
        Await.until(Duration.ofSeconds(20), "version 1 is in production", () -> f.flywheel.models().get("tiny", 1).stage() == Stage.PRODUCTION);
        // Read in one script: the live refresh may swap the page's main element between a find and a read.
        Await.until(Duration.ofSeconds(20), "the page shows the new production version", () -> "version 1".equals(((JavascriptExecutor) browser.driver)
                .executeScript("var e = document.getElementById('production-version'); return e && e.textContent.trim();")));
        assertThat(f.flywheel.models().history("tiny").getLast().actor()).isEqualTo("token:ui");
        browser.screenshot("1280px-models-tiny-promoted");
    }

    @Test
    void aRunOfMoreThanAHundredStepsShowsATimelineOfEveryStep() {
        open("/runs/" + wideRun);
        assertThat(browser.driver.findElements(By.cssSelector("svg.dag"))).isEmpty();
        List<String> steps = browser.driver.findElements(By.cssSelector("svg.timeline g.bar")).stream().map(e -> e.getAttribute("data-step")).toList();
        assertThat(steps).hasSize(150).startsWith("s000").endsWith("s149");
    }

    @Test
    void driftPageShowsEachFeaturesTestAndBothHistograms() {
        open("/");
        assertThat(text()).contains("Model tiny drifts: x1");
        open("/monitoring");
        assertThat(browser.driver.findElement(By.cssSelector("tr[data-model=tiny]")).getText()).contains("features drifted");
        assertThat(text()).contains("Model tiny drifts: x1").contains("1 of 2 features drifted in the last 24 hours");
        browser.driver.findElement(By.linkText("tiny")).click();
        Await.until(Duration.ofSeconds(10), "the drift page opens", () -> browser.driver.getCurrentUrl().endsWith("/monitoring/tiny"));
        assertThat(browser.driver.findElement(By.id("drift-version")).getText()).isEqualTo("version 3");
        WebElement x1 = browser.driver.findElement(By.cssSelector("table.features tr[data-feature=x1]"));
        assertThat(x1.getAttribute("data-drifted")).as(x1.getText()).isEqualTo("true");
        assertThat(x1.getText()).contains("drifted");
        List<WebElement> histograms = browser.driver.findElements(By.cssSelector("figure.histogram"));
        assertThat(histograms).extracting(h -> h.getAttribute("data-feature")).containsExactly("x1", "x2");
        for (WebElement h : histograms) {
            assertThat(h.findElements(By.cssSelector("rect.ref"))).hasSizeGreaterThan(1);
            assertThat(h.findElements(By.cssSelector("rect.cur"))).hasSameSizeAs(h.findElements(By.cssSelector("rect.ref")));
            assertThat(h.findElement(By.tagName("svg")).getAttribute("aria-label")).contains("reference and current");
        }
    }

    @Test
    void rolloutPageShowsStepsAndDecisionsAndItsPromoteMovesProduction() throws Exception {
        open("/deployments");
        assertThat(text()).contains("tiny-live").contains("of version 3 beside version 2");
        // The live charts read the server's counters while requests arrive.
        live.sendRequestsUntil("the deployments page charts a request rate", () -> Boolean.TRUE.equals(((JavascriptExecutor) browser.driver)
                .executeScript("var f = document.querySelector('figure.traffic'); return f !== null && Number(f.dataset.rate) > 0;")));
        assertThat(browser.driver.findElement(By.cssSelector("figure.traffic .traffic-now")).getText()).contains("requests/s").contains("p99");
        assertThat(browser.driver.findElements(By.cssSelector("figure.traffic canvas"))).hasSizeGreaterThanOrEqualTo(2);
        browser.screenshot("1280px-deployments-live-traffic");
        open("/rollouts/" + live.rolloutId());
        assertThat(browser.driver.findElements(By.cssSelector("ol.steps li"))).extracting(WebElement::getText)
                .satisfiesExactly(a -> assertThat(a).startsWith("50%"), b -> assertThat(b).startsWith("100%"));
        List<WebElement> measured = browser.driver.findElements(By.cssSelector("table.decisions li[data-check=error_rate]"));
        assertThat(measured).as("analyses with their numbers").isNotEmpty();
        java.util.regex.Pattern numbers = java.util.regex.Pattern.compile("error_rate (\\S+) / (\\S+), (\\d+) samples: (\\w+)");
        assertThat(measured).anySatisfy(c -> {
            java.util.regex.Matcher m = numbers.matcher(c.getText());
            assertThat(m.matches()).as(c.getText()).isTrue();
            assertThat(Double.parseDouble(m.group(2))).isEqualTo(0.5);
            assertThat(Long.parseLong(m.group(3))).isGreaterThanOrEqualTo(LiveRollout.MIN_SAMPLES);
            assertThat(m.group(4)).isEqualTo("pass");
        });
        assertThat(browser.driver.findElement(By.cssSelector("tr[data-action='start canary 50%']")).getText()).contains("50%");

        browser.driver.findElement(By.id("token")).sendKeys(token);
        browser.driver.findElement(By.cssSelector("#token-form button")).click();
        browser.driver.findElement(By.cssSelector("button.promote")).click();
        Await.until(Duration.ofSeconds(60), "the rollout is promoted", () -> f.flywheel.rollouts().status(live.rolloutId()).state().label().equals("promoted"));
        Await.until(Duration.ofSeconds(20), "version 3 is in production", () -> f.flywheel.models().get("tiny", 3).stage() == Stage.PRODUCTION);
        Await.until(Duration.ofSeconds(20), "the page shows it promoted", () -> "promoted".equals(((JavascriptExecutor) browser.driver)
                .executeScript("var e = document.getElementById('rollout-state'); return e && e.textContent.trim();")));
        assertThat(f.flywheel.rollouts().status(live.rolloutId()).decisions().getLast().action()).isEqualTo("promote (by a user)");
        browser.screenshot("1280px-rollout-promoted");
        open("/deployments");
        assertThat(browser.driver.findElement(By.cssSelector("td.split")).getText()).isEqualTo("version 3: 100%");
    }

    @Test
    void theRunsTableShowsANewRunLiveWithoutReloading() {
        open("/runs");
        Await.until(Duration.ofSeconds(10), "the page follows server events", () -> "sse".equals(((JavascriptExecutor) browser.driver)
                .executeScript("return document.body.dataset.live;")));
        ((JavascriptExecutor) browser.driver).executeScript("window.notReloaded = true;");
        String id = f.flywheel.run(ChainPipelines.chain("later", 2), RunOptions.defaults(), RunListener.NONE).runId();
        Await.until(Duration.ofSeconds(20), "the new run appears", () -> (Boolean) ((JavascriptExecutor) browser.driver).executeScript(
                "return document.querySelector(\"main a[href='/runs/" + id + "']\") !== null;"));
        assertThat(((JavascriptExecutor) browser.driver).executeScript("return window.notReloaded === true;")).isEqualTo(true);
    }

    @Test
    void pauseAScheduleFromItsPage() {
        open("/schedules");
        browser.driver.findElement(By.id("token")).sendKeys(token);
        browser.driver.findElement(By.cssSelector("#token-form button")).click();
        browser.driver.findElement(By.cssSelector("tr[data-id='" + scheduleId + "'] button")).click();
        Await.until(Duration.ofSeconds(20), "the schedule is paused", () -> f.flywheel.schedules().describe(scheduleId, 0).schedule().paused());
        Await.until(Duration.ofSeconds(20), "the page offers to resume it", () -> "Resume".equals(((JavascriptExecutor) browser.driver)
                .executeScript("var b = document.querySelector(\"tr[data-id='" + scheduleId + "'] button\"); return b && b.textContent.trim();")));
    }
}
