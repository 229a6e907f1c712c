package dev.flywheel.server;

import dev.flywheel.registry.Stage;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.sdk.Schedule;
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
 * The dashboard in a real headless Chromium against a real server on a project filled by real runs: every page shows
 * the project's data, a promote made in the page changes the registry, pages fit 1280 px and 390 px, and no page
 * breaks its Content-Security-Policy. Screenshots of every page go to target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    ServerFixture f;
    Browser browser;
    String token;
    String scheduleId;

    @BeforeAll
    void start(@TempDir Path dir) {
        Browser.assumeInstalled();
        f = new ServerFixture(dir);
        token = f.tokens().create("ui", ServerTokens.Scope.WRITE).secret();
        scheduleId = f.flywheel.schedules().create("tiny", Schedule.every(Duration.ofHours(12)), LaunchSpec.of(null)).id();
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
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
        List<String> pages = List.of("/", "/runs", "/runs/" + run, "/artifacts/" + artifact, "/models", "/models/tiny", "/deployments",
                "/schedules");
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
                browser.screenshot(width + "px" + (page.equals("/") ? "-overview" : page.replace('/', '-').replaceAll("-[0-9a-f]{16,}", "")));
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
